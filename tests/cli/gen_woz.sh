#!/usr/bin/env bash
# Golden CLI test: the WOZ generator's first rows for a fixed seed.
"$FAIRAUDIT" gen woz --rows 6 --seed 7
