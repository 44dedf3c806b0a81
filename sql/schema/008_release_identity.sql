-- A release's sha256 says what makes it one release. For most sources it is the checksum of the
-- file (of its files' checksums when it has several). An SDMX service stamps its answer's header
-- anew at every request, so the same figures asked for twice come back in other bytes: an SDMX
-- release's sha256 is a hash of what it says instead (flows/sources/sdmx.py, figures_identity).
comment on column release.sha256 is 'What makes the release one release, loaded only once: the SHA-256 of the file exactly as received (of its files'' checksums when it has several); for an SDMX answer, whose header the service stamps anew at each request, a SHA-256 of its dataset, vintage attributes, figures and rejects.';
