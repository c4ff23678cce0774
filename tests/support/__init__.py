"""Helpers the tests share, each written once: running commands and the app (`run`), a real
server (`server`), Census files and a misbehaving HTTP source (`boundaries`, `faults`), the
hostile corpus (`hostile`), the map's payload (`payload`) and the browser's page (`browser`)."""
