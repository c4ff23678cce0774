#!/usr/bin/env bash
# Download the Census Bureau's 2015 cartographic boundary place files (1:500,000), the vintage
# the tests use, into one folder with the Bureau's own file names: the folder that
# FRT_CENSUS_SOURCE (or ../shared/census) points at. Files already there and intact are kept.
#
#   .github/scripts/fetch-census.sh DEST_DIR
#
# Public domain (U.S. government work). CI caches the folder with actions/cache, so the
# Bureau's site is asked once per change of this script, not on every run.
set -euo pipefail

dest=${1:?usage: fetch-census.sh DEST_DIR}
year=2015
base=${CENSUS_BASE:-"https://www2.census.gov/geo/tiger/GENZ${year}/shp"}
# Every state, DC, Puerto Rico and the island areas the Bureau publishes place files for.
fips="01 02 04 05 06 08 09 10 11 12 13 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33
34 35 36 37 38 39 40 41 42 44 45 46 47 48 49 50 51 53 54 55 56 60 66 69 72 78"

intact() {  # a readable zip whose every member passes its CRC check
  python3 -c 'import sys, zipfile; sys.exit(zipfile.ZipFile(sys.argv[1]).testzip() is not None)' \
    "$1" 2>/dev/null
}

mkdir -p "$dest"
fetched=0
for code in $fips; do
  name="cb_${year}_${code}_place_500k.zip"
  target="$dest/$name"
  if [ -f "$target" ] && intact "$target"; then
    continue
  fi
  curl --fail --silent --show-error --location --retry 5 --retry-delay 10 --retry-all-errors \
    --connect-timeout 30 --max-time 300 --user-agent "frt-map CI (census place files)" \
    --output "$target.part" "$base/$name"
  intact "$target.part" || { echo "census: $base/$name is damaged or truncated" >&2; exit 1; }
  mv "$target.part" "$target"
  fetched=$((fetched + 1))
  sleep "${CENSUS_PAUSE:-1}"  # one file at a time, politely
done
echo "census: $(find "$dest" -name "cb_${year}_*_place_500k.zip" | wc -l) place files in $dest ($fetched downloaded)"
