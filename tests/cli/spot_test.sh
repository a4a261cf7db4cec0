#!/usr/bin/env bash
# spot_test.sh DUET: `duet spot` end to end on a small generated film: a draft goes into a new
# project, the composer edits a cue, a second draft keeps the edit; bad input changes nothing.
set -euo pipefail
duet=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Three 12 s scenes: dark and quiet, bright and loud, dark and quiet; hard cuts at 12 s and 24 s.
ff() { ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }
ff -f lavfi -i "color=c=0x101828:s=160x90:r=24:d=12,noise=c0s=6:c0f=t" \
  -f lavfi -i "anoisesrc=c=brown:a=0.02:d=12" -shortest -c:v libx264 -preset ultrafast \
  -pix_fmt yuv420p -c:a aac a.mp4
ff -f lavfi -i "testsrc2=s=160x90:r=24:d=12" -f lavfi -i "anoisesrc=c=pink:a=0.3:d=12" -shortest \
  -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac b.mp4
printf "file '%s'\n" a.mp4 b.mp4 a.mp4 >list.txt
ff -f concat -safe 0 -i list.txt -c copy -timecode 01:00:00:00 film.mp4
cat >cut.edl <<'EOF'
TITLE: SPOT TEST
FCM: NON-DROP FRAME

001  A001     V     C        10:00:00:00 10:00:12:00 01:00:00:00 01:00:12:00
* FROM CLIP NAME: NIGHT
002  A002     V     C        11:00:00:00 11:00:12:00 01:00:12:00 01:00:24:00
* FROM CLIP NAME: FIGHT
003  A001     V     C        10:00:00:00 10:00:12:00 01:00:24:00 01:00:36:00
* FROM CLIP NAME: NIGHT AGAIN
EOF

"$duet" new proj --film film.mp4 --edl cut.edl --rate 24 --start 01:00:00:00 >/dev/null
"$duet" spot --project proj --quiet --min-cue 6 >first.txt
grep -q "^DRAFT spotting of film.mp4" first.txt || fail "the draft does not say it is a draft"
grep -q "added" first.txt || fail "the first draft added no cue"
cues=$("$duet" show proj --json | grep -c '"state": "draft"') || true
[ "$cues" -ge 2 ] || fail "expected at least two drafted cues, found $cues"
grep -q "FIGHT" proj/duet.json || fail "the cut's clip names are not the titles"

# The composer edits the first cue; a second spot keeps it and says so.
sed -i 's/"title": "NIGHT",/"title": "Opening (mine)",/' proj/duet.json
grep -q "Opening (mine)" proj/duet.json || fail "the test could not edit the project"
"$duet" spot --project proj --quiet --min-cue 6 >second.txt
grep -q "kept_edited" second.txt || fail "the second draft did not report the edited cue as kept"
grep -q "Opening (mine)" proj/duet.json || fail "the second draft overwrote the composer's edit"
"$duet" show proj --json | grep -q '"state": "composer"' || fail "the edited cue is not the composer's"

# Bad input: one sentence, non-zero exit, the project untouched.
before=$(sha256sum proj/duet.json)
printf 'TITLE: BROKEN\n001  A001  V  C  10:00:00:00 10:00:xx:00 01:00:00:00 01:00:12:00\n' >bad.edl
if "$duet" spot --project proj --edl bad.edl --quiet 2>err.txt; then fail "a bad EDL was accepted"; fi
grep -q "bad.edl" err.txt || fail "the error does not name the EDL: $(cat err.txt)"
[ "$(wc -l <err.txt)" -eq 1 ] || fail "the error is not one line: $(cat err.txt)"
if "$duet" spot missing.mp4 --quiet 2>err.txt; then fail "a missing film was accepted"; fi
grep -q "missing.mp4" err.txt || fail "the error does not name the film: $(cat err.txt)"
if "$duet" spot --quiet 2>err.txt; then fail "spot without a film was accepted"; fi
[ "$(sha256sum proj/duet.json)" = "$before" ] || fail "bad input changed the project"
# The editor shortens shot 2 by a second (issue 16): spotting the new cut over the composer's cue
# would leave its times on the old cut. It says the cut changed and points to conform, changing
# nothing; conform then moves the cues.
cat >cut2.edl <<'EOF'
TITLE: SPOT TEST V2
FCM: NON-DROP FRAME

001  A001     V     C        10:00:00:00 10:00:12:00 01:00:00:00 01:00:12:00
002  A002     V     C        11:00:00:00 11:00:11:00 01:00:12:00 01:00:23:00
003  A001     V     C        10:00:00:00 10:00:12:00 01:00:23:00 01:00:35:00
EOF
if "$duet" spot --project proj --edl cut2.edl --quiet 2>err.txt; then
  fail "spotting a re-cut over the composer's cues was accepted"
fi
grep -q "the cut changed" err.txt || fail "spot did not say the cut changed: $(cat err.txt)"
grep -q "duet conform proj --new-cut cut2.edl" err.txt ||
  fail "spot did not point to conform: $(cat err.txt)"
[ "$(sha256sum proj/duet.json)" = "$before" ] || fail "spotting a re-cut changed the project"
last_in=$("$duet" show proj --json | jq -r '[.cues[].in] | max')
"$duet" conform proj --new-cut cut2.edl >conform.txt || fail "conform failed: $(cat conform.txt)"
grep -q "trim" conform.txt || fail "conform did not see the trim: $(cat conform.txt)"
moved_in=$("$duet" show proj --json | jq -r '[.cues[].in] | max')
[ "$moved_in" != "$last_in" ] || fail "the last cue did not move with its picture ($last_in)"
grep -q '"edl": "../cut2.edl"' proj/duet.json || fail "the project does not play the new cut"
# A film cut off half way (its header still says 36 s): say how much was read, warn about the
# cut's events past it, and draft nothing there.
ff -i film.mp4 -c copy -movflags +faststart whole.mp4
head -c $(($(stat -c %s whole.mp4) / 2)) whole.mp4 >half.mp4
"$duet" spot half.mp4 --edl cut.edl --rate 24 --quiet --min-cue 6 >half.txt 2>half.err
grep -q "only 1[0-9].[0-9] s of picture could be read of the 36.0 s" half.err ||
  fail "a cut-off film was not said to be short: $(cat half.err)"
grep -q "the cut runs to 01:00:36:00 but the picture read ends at" half.err ||
  fail "the cut past the picture read was not warned about: $(cat half.err)"
grep -q "^DRAFT spotting of half.mp4 (1[0-9].[0-9] s read of 36.0 s" half.txt ||
  fail "the header does not say how much was read: $(head -1 half.txt)"
"$duet" spot half.mp4 --edl cut.edl --rate 24 --quiet --min-cue 6 --json 2>/dev/null >half.json
last_out=$(jq -r '[.cues[].out] | max' half.json)
[[ "$last_out" < "01:00:20:00" ]] || fail "a cue was drafted past the picture read: $last_out"
"$duet" spot whole.mp4 --edl cut.edl --rate 24 --quiet --min-cue 6 >whole.txt 2>whole.err
if grep -q "could be read" whole.err; then fail "a whole film was said to be short"; fi
echo "spot: ok"
