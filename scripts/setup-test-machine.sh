#!/usr/bin/env bash
# System packages the tests need on Debian bookworm. Run it as you are: as root it calls
# apt-get directly; as a user it uses sudo (and asks only when something is missing):
#  - chromium: the console's end-to-end tests drive Debian's Chromium (Playwright's
#    own browser download does not work offline);
#  - mesa-vulkan-drivers from bookworm-backports: lavapipe, a software Vulkan driver,
#    so onnxruntime's WebGPU provider can be tested without a GPU (bookworm's own
#    Mesa 22 lacks Vulkan features Dawn requires);
#  - a C compiler, for the NDI pixel addon (native/pixels; without one NDI uses a
#    slower pure-JS conversion, and its byte-for-byte test against the addon fails);
#  - libltc-dev: the reference LTC encoder, the independent oracle the LTC decoder's
#    tests compile against (tests/fixtures/ltc/ltc-encode.c);
#  - liblo-tools and liblo-dev: liblo's oscsend/oscdump and headers, the real OSC
#    clients of the OSC-over-TCP framing tests (tests/fixtures/liblo/osc-tcp-client.c);
#  - ffmpeg: Debian's ffprobe/ffmpeg, the independent tools the recording tests read the
#    recorded files with (the app records with the FFmpeg from its npm dependency).
# Idempotent: does nothing when all of them are already there.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

need_chromium=0; need_mesa=0; need_cc=0; need_ltc=0; need_lo=0; need_ffmpeg=0
command -v chromium >/dev/null 2>&1 || need_chromium=1
command -v cc >/dev/null 2>&1 || need_cc=1
dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | grep -q bpo12 || need_mesa=1
[ -f /usr/include/ltc.h ] || need_ltc=1
{ command -v oscsend >/dev/null 2>&1 && [ -f /usr/include/lo/lo.h ]; } || need_lo=1
[ -x /usr/bin/ffprobe ] || need_ffmpeg=1
[ "$need_chromium$need_mesa$need_cc$need_ltc$need_lo$need_ffmpeg" = "000000" ] && { echo "test packages: already installed"; exit 0; }

# Elevate only for the commands that need it: root runs them as they are, a user goes
# through sudo (DEBIAN_FRONTEND passed on explicitly: sudo drops the environment).
if [ "$(id -u)" = 0 ]; then
  as_root() { "$@"; }
elif command -v sudo >/dev/null 2>&1; then
  as_root() { sudo DEBIAN_FRONTEND=noninteractive "$@"; }
else
  missing=""
  [ "$need_chromium" = 1 ] && missing="$missing chromium"
  [ "$need_cc" = 1 ] && missing="$missing gcc libc6-dev"
  [ "$need_mesa" = 1 ] && missing="$missing mesa-vulkan-drivers/bookworm-backports libvulkan1"
  [ "$need_ltc" = 1 ] && missing="$missing libltc-dev"
  [ "$need_lo" = 1 ] && missing="$missing liblo-tools liblo-dev"
  [ "$need_ffmpeg" = 1 ] && missing="$missing ffmpeg"
  echo "setup-test-machine: not root and no sudo; as root, install:$missing (then run this again)" >&2
  exit 1
fi

if [ "$need_mesa" = 1 ] && ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "deb http://deb.debian.org/debian bookworm-backports main" | as_root tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null
fi
as_root apt-get update -qq
[ "$need_chromium" = 1 ] && as_root apt-get install -y -qq chromium >/dev/null
[ "$need_cc" = 1 ] && as_root apt-get install -y -qq gcc libc6-dev >/dev/null
[ "$need_mesa" = 1 ] && as_root apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null
[ "$need_ltc" = 1 ] && as_root apt-get install -y -qq libltc-dev >/dev/null
[ "$need_lo" = 1 ] && as_root apt-get install -y -qq liblo-tools liblo-dev >/dev/null
[ "$need_ffmpeg" = 1 ] && as_root apt-get install -y -qq ffmpeg >/dev/null
echo "test packages: $(cc --version | head -1), chromium $(chromium --version 2>/dev/null | awk '{print $2}'), mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)"
