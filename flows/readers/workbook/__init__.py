"""Excel workbooks: cells, TCVN3 text, tables found by title, their headers, GSO's monthly
workbook."""
