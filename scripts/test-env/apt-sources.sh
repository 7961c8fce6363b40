# shellcheck shell=bash
# The machine's configured Debian mirror (never a hard-coded host), read from APT's sources in
# both the one-line (.list) and deb822 (.sources) formats.

# Prints "URI SUITE" for every enabled `deb` entry.
apt_source_entries() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    awk '$1 == "deb" {
      i = 2
      if ($i ~ /^\[/) { while ($i !~ /\]$/ && i < NF) i++; i++ }
      if (i + 1 <= NF) print $i, $(i + 1)
    }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    awk 'function flush() {
        if (types ~ /(^| )deb( |$)/ && enabled !~ /^no$/) {
          n = split(uris, u, " "); m = split(suites, s, " ")
          for (a = 1; a <= n; a++) for (b = 1; b <= m; b++) print u[a], s[b]
        }
        types = ""; uris = ""; suites = ""; enabled = ""
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      { key = tolower($1); sub(/:$/, "", key); $1 = ""; sub(/^ +/, "") }
      key == "types" { types = $0 } key == "uris" { uris = $0 }
      key == "suites" { suites = $0 } key == "enabled" { enabled = tolower($0) }
      END { flush() }' "$f"
  done
}

# Sets DEBIAN_MIRROR (archive) and DEBIAN_SECURITY (may be empty). TEST_ENV_DEBIAN_MIRROR wins.
find_debian_mirror() {
  local entries
  entries=$(apt_source_entries)
  DEBIAN_MIRROR=${TEST_ENV_DEBIAN_MIRROR:-}
  # Prefer an entry for $DEBIAN_SUITE itself, else any Debian release suite (the archive serves all).
  [ -n "$DEBIAN_MIRROR" ] || DEBIAN_MIRROR=$(awk -v s="$DEBIAN_SUITE" '$2 == s { print $1; exit }' <<<"$entries")
  [ -n "$DEBIAN_MIRROR" ] || DEBIAN_MIRROR=$(awk '$2 ~ /^(bookworm|trixie|forky|sid|bullseye|stable|testing|unstable|oldstable)$/ { print $1; exit }' <<<"$entries")
  DEBIAN_SECURITY=$(awk '$2 ~ /-security$/ { print $1; exit }' <<<"$entries")
  DEBIAN_MIRROR=${DEBIAN_MIRROR%/}
  DEBIAN_SECURITY=${DEBIAN_SECURITY%/}
  [ -n "$DEBIAN_MIRROR" ] || die "no Debian mirror found in /etc/apt/sources.list{,.d/*}; set TEST_ENV_DEBIAN_MIRROR=<archive URL>"
}

# The sources a stand-in's APT uses, in the real image's deb822 layout.
write_image_sources() {
  local root=${1:?} kr=/usr/share/keyrings/debian-archive-keyring.gpg
  rm -f "${root:?}/etc/apt/sources.list"
  mkdir -p "${root:?}/etc/apt/sources.list.d"
  {
    printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\nSigned-By: %s\n' "$DEBIAN_MIRROR" "$DEBIAN_SUITE" "$DEBIAN_SUITE" "$kr"
    [ -z "$DEBIAN_SECURITY" ] || printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\nSigned-By: %s\n' "$DEBIAN_SECURITY" "$DEBIAN_SUITE" "$kr"
  } >"${root:?}/etc/apt/sources.list.d/debian.sources"
}
