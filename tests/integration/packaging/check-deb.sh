#!/usr/bin/env bash
# Builds the .deb from the build folder (cpack) and checks what a site
# installs: the four executables, the hub's unit and configuration (a
# conffile), the console's desktop entry, the maintainer scripts, and the
# library packages it depends on. Does not install it.
set -euo pipefail
build="$1"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
(cd "$build" && cpack -G DEB -B "$out" >"$out/cpack.log" 2>&1) || { cat "$out/cpack.log"; exit 1; }
deb="$(ls "$out"/suqiu_*.deb)"
contents="$(dpkg-deb -c "$deb" | awk '{print $6}')"
fail=0
for f in ./usr/bin/suqiu-hub ./usr/bin/suqiu ./usr/bin/suqiu-console ./usr/bin/suqiu-feed-reportbox \
         ./usr/lib/systemd/system/suqiu-hub.service ./etc/suqiu/suqiu-hub.toml \
         ./usr/share/applications/suqiu-console.desktop ./usr/share/doc/suqiu/README.md; do
  grep -qx -- "$f" <<<"$contents" || { echo "missing from the package: $f"; fail=1; }
done
# Nothing of the tests or benchmarks.
if grep -E 'test|bench' <<<"$contents" | grep -v -- 'testing.md'; then echo "test files in the package"; fail=1; fi
depends="$(dpkg-deb -f "$deb" Depends)"
for d in libzmq5 libsqlite3-0 libicu72 libsodium23 libwxgtk3.2-1 libxlsxwriter fonts-wqy-microhei adduser; do
  grep -q -- "$d" <<<"$depends" || { echo "not in Depends: $d ($depends)"; fail=1; }
done
dpkg-deb -e "$deb" "$out/control"
grep -qx /etc/suqiu/suqiu-hub.toml "$out/control/conffiles" || { echo "the configuration is not a conffile"; fail=1; }
[ -x "$out/control/postinst" ] || { echo "no postinst"; fail=1; }
# The unit starts the hub as its own user, notified when ready.
unit="$(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/lib/systemd/system/suqiu-hub.service)"
for line in 'Type=notify' 'User=suqiu' 'ExecStart=/usr/bin/suqiu-hub --config /etc/suqiu/suqiu-hub.toml --data /var/lib/suqiu'; do
  grep -qx -- "$line" <<<"$unit" || { echo "the unit lacks: $line"; fail=1; }
done
[ $fail -eq 0 ] && echo "ok: $(basename "$deb"), $(du -k "$deb" | cut -f1) KB"
exit $fail
