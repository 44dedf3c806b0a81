-- A figure's provenance is a cell for workbooks but a sentence for prose reports.
alter table reported rename column cell to provenance;
