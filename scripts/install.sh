#!/usr/bin/env bash
# Installs ncp from a tarball, for one user (no root needed):
#   scripts/install.sh [TARBALL] [--prefix DIR]    install or upgrade (default DIR: ~/.local)
#   scripts/install.sh --uninstall [--prefix DIR]  remove what it installed
# It unpacks TARBALL (default: the self-contained ncp-*-linux-x64.tar.gz in ncp-dist/target, left by ./ncpw build)
# into DIR/lib/ncp-<version>, links DIR/bin/ncp to its bin/ncp and says whether DIR/bin is on PATH. Run again with a
# newer tarball, it upgrades: the link moves to the new version and the version it replaces is removed. Run again with
# the same one, it installs the same files again. Your settings and data (~/.ncp) are never touched, not even by
# --uninstall. The plain tarball (ncp-<version>.tar.gz, no runtime of its own) installs too; it needs a JDK 21+.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
# Written into each version directory it installs: only such directories are ever replaced or removed.
marker=.installed-by-ncp-install

usage() { sed -n '2,/^[^#]/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
die() { echo "install.sh: $*" >&2; exit 1; }

prefix="${HOME:?HOME is not set}/.local"
tarball=
uninstall=false
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --uninstall) uninstall=true; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) usage >&2; exit 2 ;;
    *) [ -z "$tarball" ] || die "one tarball at a time (got $tarball and $1)"; tarball=$1; shift ;;
  esac
done
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)
bin_dir="$prefix/bin"
lib_dir="$prefix/lib"
link="$bin_dir/ncp"

# The version directory DIR/bin/ncp points into when this script made the link (the directory has its marker, or
# is gone), or nothing.
installed_dir() {
  local dir
  [ -L "$link" ] || return 0
  dir=$(readlink "$link")
  dir=${dir%/bin/ncp}
  case "$dir" in
    "$lib_dir"/ncp-*) if [ -f "$dir/$marker" ] || [ ! -e "$dir" ]; then echo "$dir"; fi ;;
  esac
}

# A DIR/bin/ncp this script did not make is someone else's: never replaced or removed.
if { [ -e "$link" ] || [ -L "$link" ]; } && [ -z "$(installed_dir)" ]; then
  die "$link exists and was not installed by this script; move it away first"
fi

if $uninstall; then
  removed=0
  if [ -L "$link" ]; then rm -f "$link"; echo "removed $link"; removed=1; fi
  for dir in "$lib_dir"/ncp-*/; do
    dir=${dir%/}
    [ -f "$dir/$marker" ] || continue
    rm -rf "$dir"; echo "removed $dir"; removed=1
  done
  [ "$removed" = 1 ] || echo "ncp is not installed in $prefix (nothing to remove)"
  [ ! -d "$HOME/.ncp" ] || echo "your settings and data in $HOME/.ncp are kept (remove them yourself if you wish)"
  exit 0
fi

if [ -z "$tarball" ]; then
  tarball=$(ls -t "$here"/../ncp-dist/target/ncp-*-linux-x64.tar.gz 2>/dev/null | head -n 1 || true)
  [ -n "$tarball" ] || die "no tarball given and none built in ncp-dist/target (./ncpw build makes one)"
fi
[ -f "$tarball" ] || die "$tarball: no such file"
tarball=$(readlink -f "$tarball")

mkdir -p "$bin_dir" "$lib_dir"
# Unpacked beside its final place (same file system), so it moves there in one rename.
staging=$(mktemp -d "$lib_dir/.ncp-install.XXXXXX")
trap 'rm -rf "$staging"' EXIT
tar -xzf "$tarball" -C "$staging"
top=$(cd "$staging" && ls -d ncp-*/ 2>/dev/null | head -n 1)
top=${top%/}
[ -n "$top" ] && [ -x "$staging/$top/bin/ncp" ] || die "$tarball is not an ncp tarball (no ncp-<version>/bin/ncp inside)"
version=${top#ncp-}
new_dir="$lib_dir/ncp-$version"
touch "$staging/$top/$marker"

previous=$(installed_dir)
previous_version=
[ -z "$previous" ] || previous_version=${previous##*/ncp-}
if [ -e "$new_dir" ] && [ ! -f "$new_dir/$marker" ]; then
  die "$new_dir exists and was not installed by this script; move it away first"
fi
# The same version again: the old copy moves aside, the new one in, then the old one goes.
old_copy=
if [ -e "$new_dir" ]; then old_copy="$staging/replaced"; mv "$new_dir" "$old_copy"; fi
mv "$staging/$top" "$new_dir"
# The link changes in one rename, so DIR/bin/ncp always points at a whole installation.
ln -s "$new_dir/bin/ncp" "$staging/ncp.link"
mv -T "$staging/ncp.link" "$link"
if [ -n "$previous" ] && [ "$previous" != "$new_dir" ] && [ -f "$previous/$marker" ]; then rm -rf "$previous"; fi

if [ -z "$previous_version" ]; then
  echo "installed ncp $version in $new_dir"
elif [ "$previous_version" = "$version" ]; then
  echo "reinstalled ncp $version in $new_dir"
else
  newer=$(printf '%s\n%s\n' "$previous_version" "$version" | sort -V | tail -n 1)
  if [ "$newer" = "$version" ]; then verb=upgraded; else verb=downgraded; fi
  echo "$verb ncp $previous_version to $version in $new_dir (restart a running proxy to use it)"
fi
echo "$link -> $new_dir/bin/ncp"
[ ! -d "$HOME/.ncp" ] || echo "your settings and data in $HOME/.ncp are kept"
case ":$PATH:" in
  *":$bin_dir:"*) echo "$bin_dir is on your PATH: run 'ncp --help'" ;;
  *) echo "$bin_dir is not on your PATH: add it (e.g. echo 'export PATH=\"$bin_dir:\$PATH\"' >> ~/.bashrc), or run $link" ;;
esac
