# Unit tests of JSONata's picture-string formatting, relative to tests/query/.
set(TIMESLIP_JSONATA_FORMAT_TESTS)
