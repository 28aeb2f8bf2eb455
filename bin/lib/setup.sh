# shellcheck shell=bash
# Shared by bin/setup, bin/run, bin/test, bin/test-upgrade and bin/update-i18n:
# finds Odoo 18.0 and PostgreSQL, and installs what is missing (see README.md,
# "What the commands install").
#
#   source bin/lib/setup.sh
#   mercator_setup || exit 2      # idempotent: a second run only checks
#   "${odoo_cmd[@]}" "${db_args[@]}" ...
#
# Sets: ODOO_HOME (exported), odoo_cmd (array: how to start odoo-bin),
# odoo_python (Odoo's Python), dev_python (the linters' Python), db_args
# (odoo-bin's database options) and pg_args (psql/createdb/dropdb options).
#
# Environment:
#   ODOO_HOME    the folder with odoo-bin. Unset: /opt/odoo when it has one, else
#                an `odoo` command on PATH, else $MERCATOR_DATA/odoo-18.0.
#   ODOO_SOURCE  where to install Odoo from when ODOO_HOME has no odoo-bin: a
#                folder with Odoo's source, a .tar.gz of it (path or http(s) URL),
#                or a git URL (branch 18.0). Default: Odoo's official repository.
#   MERCATOR_DATA  default home of what setup installs outside the git tree
#                (default ${XDG_DATA_HOME:-~/.local/share}/mercator_crm).
#   MERCATOR_PYTHON  the Python (3.10 to 3.12) that Odoo's virtualenv is made
#                from (default: the first of python3, python3.12, python3.11,
#                python3.10 in that range).
#   PGHOST, PGPORT, PGUSER, PGPASSWORD  the PostgreSQL server (default
#                127.0.0.1:5432, user root); a local one is installed, started
#                and given the role when nothing answers there.
#   MERCATOR_SETUP_SKIP  words among "packages postgresql" to skip those steps.

MERCATOR_ODOO_GIT=https://github.com/odoo/odoo.git
MERCATOR_ODOO_BRANCH=18.0
MERCATOR_DATA=${MERCATOR_DATA:-${XDG_DATA_HOME:-$HOME/.local/share}/mercator_crm}
# Debian packages: the PDF renderer and the browser of the tests, pdftotext and
# pdffonts for the PDF checks, the PostgreSQL client, fonts the reports name.
MERCATOR_DEBIAN_PACKAGES=(chromium wkhtmltopdf poppler-utils postgresql-client
                          fonts-liberation)
_mercator_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
_mercator_repo=$(cd "$_mercator_lib_dir/../.." && pwd)

: "${PGHOST:=127.0.0.1}" "${PGPORT:=5432}" "${PGUSER:=root}"
export PGHOST PGPORT PGUSER

_setup_t0=0
_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }
_step() { _setup_t0=$(_ms); printf 'setup: %-50s ' "$*"; }
_ok() {
    local ms=$(($(_ms) - _setup_t0))
    printf '%s (%d.%01ds)\n' "${1:-ok}" $((ms / 1000)) $((ms % 1000 / 100))
}
_die() { printf '\nsetup: ERROR: %s\n' "$*" >&2; return 1; }
# Output of pip and apt-get goes to the setup log, shown when a step fails.
_setup_log=$MERCATOR_DATA/setup.log
_logged() {
    mkdir -p "$MERCATOR_DATA"
    printf '\n$ %s\n' "$*" >> "$_setup_log"
    "$@" >> "$_setup_log" 2>&1 && return 0
    printf '\n--- last lines of %s ---\n' "$_setup_log" >&2
    tail -n 25 "$_setup_log" >&2
    return 1
}
_as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else return 1
    fi
}
_skipped() { [[ " ${MERCATOR_SETUP_SKIP:-} " == *" $1 "* ]]; }

# Where Odoo is: sets ODOO_HOME and odoo_cmd without installing anything.
mercator_find_odoo() {
    odoo_cmd=()
    if [ -z "${ODOO_HOME:-}" ]; then
        if [ -f /opt/odoo/odoo-bin ]; then
            ODOO_HOME=/opt/odoo
        elif command -v odoo >/dev/null 2>&1 || command -v odoo-bin >/dev/null 2>&1; then
            odoo_cmd=("$(command -v odoo || command -v odoo-bin)")
            odoo_python=$(head -n 1 "${odoo_cmd[0]}" | sed -n 's/^#! *//p')
            [ -n "$odoo_python" ] || odoo_python=python3
            return 0
        else
            ODOO_HOME=$MERCATOR_DATA/odoo-18.0
        fi
    fi
    export ODOO_HOME
    odoo_python=$ODOO_HOME/.venv/bin/python
    odoo_cmd=("$odoo_python" "$ODOO_HOME/odoo-bin")
}

# Odoo 18.0's source tree in $1? (odoo-bin and release.py saying 18.0)
_is_odoo18() {
    [ -f "$1/odoo-bin" ] && [ -f "$1/odoo/release.py" ] &&
        grep -qE "^version_info = \(18, 0," "$1/odoo/release.py"
}

# Installs Odoo's source from ODOO_SOURCE into ODOO_HOME. The tree is unpacked
# into a staging folder beside ODOO_HOME and moved in, odoo-bin last, so that an
# interrupted run leaves nothing that a second run would take for an install.
_install_odoo_source() {
    local staging rc
    mkdir -p "$ODOO_HOME" || { _die "cannot create ODOO_HOME=$ODOO_HOME"; return 1; }
    if [ -f "$ODOO_HOME/.mercator-partial" ]; then
        # An earlier run was interrupted while moving the source in: start over.
        find "$ODOO_HOME" -mindepth 1 -maxdepth 1 ! -name .venv -exec rm -rf {} +
    fi
    if [ -n "$(find "$ODOO_HOME" -mindepth 1 -maxdepth 1 ! -name .venv | head -n 1)" ]; then
        _die "ODOO_HOME=$ODOO_HOME has no odoo-bin but is not empty: not installing over it"
        return 1
    fi
    staging=$(mktemp -d "$(dirname "$ODOO_HOME")/.odoo-setup.XXXXXX") || return 1
    _stage_odoo_source "$staging"
    rc=$?
    rm -rf "$staging"
    return $rc
}

_stage_odoo_source() {
    local staging=$1 source=${ODOO_SOURCE:-$MERCATOR_ODOO_GIT} tree entry
    case "$source" in
        *.tar.gz | *.tgz)
            local archive=$source
            if [[ "$source" == http://* || "$source" == https://* ]]; then
                archive=$staging/odoo.tar.gz
                curl -fsSL --retry 2 -o "$archive" "$source" ||
                    { _die "ODOO_SOURCE=$source: download failed"; return 1; }
            elif [ ! -f "$source" ]; then
                _die "ODOO_SOURCE=$source: no such file"; return 1
            fi
            mkdir "$staging/tree"
            tar -xzf "$archive" -C "$staging/tree" 2>/dev/null ||
                { _die "ODOO_SOURCE=$source: not a readable .tar.gz"; return 1; }
            rm -f "$staging/odoo.tar.gz"
            ;;
        *://* | git@*)
            git clone -q --depth 1 --branch "$MERCATOR_ODOO_BRANCH" "$source" \
                "$staging/tree" >/dev/null 2>&1 ||
                { _die "ODOO_SOURCE=$source: git clone of branch $MERCATOR_ODOO_BRANCH failed"
                  return 1; }
            rm -rf "$staging/tree/.git"
            ;;
        *)
            [ -d "$source" ] ||
                { _die "ODOO_SOURCE=$source: no such folder, .tar.gz or git URL"; return 1; }
            # A folder of the user's: copied (less its .git), the original stays.
            mkdir "$staging/tree"
            if ! tar -C "$source" --exclude=.git -cf - . | tar -C "$staging/tree" -xf -; then
                _die "ODOO_SOURCE=$source: cannot copy it"
                return 1
            fi
            ;;
    esac
    tree=$staging/tree
    # A source of one folder (odoo-18.0/ in Odoo's archives) is that folder.
    if [ ! -f "$tree/odoo-bin" ] && [ "$(find "$tree" -mindepth 1 -maxdepth 1 | wc -l)" -eq 1 ]; then
        tree=$(find "$tree" -mindepth 1 -maxdepth 1)
    fi
    _is_odoo18 "$tree" ||
        { _die "ODOO_SOURCE=$source is not Odoo 18.0's source (no odoo-bin, or odoo/release.py is not 18.0)"
          return 1; }
    touch "$ODOO_HOME/.mercator-partial"
    for entry in "$tree"/* "$tree"/.[!.]*; do
        [ -e "$entry" ] || continue
        [ "$(basename "$entry")" = odoo-bin ] && continue
        mv "$entry" "$ODOO_HOME/" || { _die "cannot move Odoo's source into $ODOO_HOME"; return 1; }
    done
    mv "$tree/odoo-bin" "$ODOO_HOME/odoo-bin" && rm -f "$ODOO_HOME/.mercator-partial"
}

# A Python 3.10 to 3.12 to make Odoo's virtualenv from.
_pick_python() {
    local candidate
    for candidate in ${MERCATOR_PYTHON:-} python3 python3.12 python3.11 python3.10; do
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))'; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

# Odoo's requirements.txt as it installs here: python-ldap left out (only the
# LDAP addon uses it and it needs OpenLDAP's headers); cbor2 5.4.2 does not
# build with Python 3.11's pip here, 5.4.6 is the same API.
_requirements_for_here() {
    sed -E -e '/^python-ldap/d' -e 's/^cbor2==5\.4\.2\b/cbor2==5.4.6/' \
        "$ODOO_HOME/requirements.txt"
}

# The venv is ours and complete when .venv/.mercator-setup holds the hash of what
# was installed; a venv we were making when interrupted is made again.
_venv_stamp() {
    { _requirements_for_here; cat "$_mercator_repo/requirements-odoo-tests.txt"; } |
        sha256sum | cut -d' ' -f1
}

_install_venv() {
    local venv=$ODOO_HOME/.venv python req
    python=$(_pick_python) ||
        { _die "no Python 3.10 to 3.12 found (set MERCATOR_PYTHON)"; return 1; }
    if [ -d "$venv" ] && [ ! -f "$venv/.mercator-setup" ] && [ ! -f "$venv/.mercator-partial" ] \
            && "$venv/bin/python" -c 'import werkzeug, psycopg2, lxml, babel' 2>/dev/null; then
        : # somebody else's working venv: keep it, add our test tools below
    else
        [ -f "$venv/.mercator-partial" ] && rm -rf "$venv"
        if [ ! -x "$venv/bin/python" ]; then
            _logged "$python" -m venv "$venv" ||
                { _die "$python -m venv failed (Debian: apt-get install python3-venv)"; return 1; }
        fi
        touch "$venv/.mercator-partial"
        req=$(mktemp)
        _requirements_for_here > "$req"
        # Odoo's pinned list has old sdists that import pkg_resources at build
        # time: setuptools<70 and wheel first, then no build isolation.
        if ! { _logged "$venv/bin/python" -m pip install --disable-pip-version-check \
                    'setuptools<70' wheel &&
                _logged "$venv/bin/python" -m pip install --disable-pip-version-check \
                    --no-build-isolation -r "$req"; }; then
            rm -f "$req"
            _die "pip install of Odoo's requirements.txt failed (see above)"
            return 1
        fi
        rm -f "$req"
        # Odoo's own package, so that `import odoo` works from any folder.
        printf '%s\n' "$ODOO_HOME" > "$("$venv/bin/python" -c \
            'import sysconfig; print(sysconfig.get_paths()["purelib"])')/odoo-home.pth"
    fi
    _logged "$venv/bin/python" -m pip install --disable-pip-version-check \
            -r "$_mercator_repo/requirements-odoo-tests.txt" ||
        { _die "pip install of requirements-odoo-tests.txt failed"; return 1; }
    rm -f "$venv/.mercator-partial"
    _venv_stamp > "$venv/.mercator-setup"
}

# The linters and pytest of the checks that need no Odoo (requirements-dev.txt),
# in their own virtualenv: $MERCATOR_DATA/dev-venv.
_install_dev_tools() {
    local venv=$MERCATOR_DATA/dev-venv python stamp
    stamp=$(sha256sum < "$_mercator_repo/requirements-dev.txt" | cut -d' ' -f1)
    dev_python=$venv/bin/python
    if [ -f "$venv/.mercator-setup" ] && [ "$(cat "$venv/.mercator-setup")" = "$stamp" ]; then
        _ok "present"
        return 0
    fi
    python=$(_pick_python) ||
        { _die "no Python 3.10 to 3.12 found (set MERCATOR_PYTHON)"; return 1; }
    rm -rf "$venv"
    mkdir -p "$MERCATOR_DATA"
    if ! { _logged "$python" -m venv "$venv" &&
            _logged "$dev_python" -m pip install --disable-pip-version-check \
                -r "$_mercator_repo/requirements-dev.txt"; }; then
        _die "pip install of requirements-dev.txt into $venv failed"
        return 1
    fi
    echo "$stamp" > "$venv/.mercator-setup"
    _ok "installed"
}

# eslint and prettier for the addon's JS, XML and SCSS (package.json, pinned
# in package-lock.json), in the clone's node_modules/ (git-ignored).
_install_js_linters() {
    local stamp
    stamp=$(sha256sum < "$_mercator_repo/package-lock.json" | cut -d' ' -f1)
    if [ -f "$_mercator_repo/node_modules/.mercator-setup" ] &&
            [ "$(cat "$_mercator_repo/node_modules/.mercator-setup")" = "$stamp" ]; then
        _ok "present"
        return 0
    fi
    if ! command -v npm >/dev/null 2>&1; then
        _install_packages nodejs npm || return 1
    fi
    (cd "$_mercator_repo" && _logged npm ci --no-audit --no-fund) ||
        { _die "npm ci (package-lock.json) failed"; return 1; }
    echo "$stamp" > "$_mercator_repo/node_modules/.mercator-setup"
    _ok "installed"
}

_install_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
            missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null 2>&1 ||
        { _die "missing packages ${missing[*]} and no apt-get to install them"; return 1; }
    if ! { _logged _as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
            _logged _as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
                --no-install-recommends "${missing[@]}"; }; then
        _die "apt-get install ${missing[*]} failed (run as root or with sudo)"
        return 1
    fi
    printf 'installed %s ' "${missing[*]}"
}

_pg_connects() {
    psql -X -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -tAc 'select 1' \
        >/dev/null 2>&1
}

_pg_is_local() { [[ "$PGHOST" == 127.0.0.1 || "$PGHOST" == localhost || "$PGHOST" == /* ]]; }

# Runs psql as the postgres system user over the local socket (peer auth).
_pg_admin() {
    _as_root runuser -u postgres -- env -u PGHOST -u PGUSER -u PGPASSWORD \
        psql -X -q -p "$PGPORT" -d postgres "$@"
}

# A PostgreSQL server on PGHOST:PGPORT that PGUSER can log into.
_setup_postgresql() {
    local cluster version password
    if ! pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then
        _pg_is_local || { _die "no PostgreSQL answers at $PGHOST:$PGPORT (user $PGUSER)"; return 1; }
        _install_packages postgresql || return 1
        # A cluster of this machine's on that port, else a new one on it.
        cluster=$(pg_lsclusters -h 2>/dev/null | awk -v p="$PGPORT" '$3 == p {print $1, $2; exit}')
        if [ -z "$cluster" ]; then
            version=$(pg_lsclusters -h 2>/dev/null | awk '{print $1}' | sort -n | tail -n 1)
            [ -n "$version" ] ||
                version=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' |
                          sort -n | tail -n 1)
            _as_root pg_createcluster -p "$PGPORT" "$version" mercator >/dev/null ||
                { _die "pg_createcluster on port $PGPORT failed"; return 1; }
            cluster="$version mercator"
        fi
        # shellcheck disable=SC2086  # "version name"
        _as_root pg_ctlcluster --skip-systemctl-redirect $cluster start 2>/dev/null
        for _ in $(seq 30); do
            pg_isready -q -h "$PGHOST" -p "$PGPORT" && break
            sleep 1
        done
        pg_isready -q -h "$PGHOST" -p "$PGPORT" ||
            { _die "PostgreSQL at $PGHOST:$PGPORT did not start (cluster $cluster)"; return 1; }
        printf 'started cluster %s ' "$cluster"
    fi
    _pg_connects && return 0
    # The server answers but refuses PGUSER: on this machine, give it the role.
    if _pg_is_local && id postgres >/dev/null 2>&1 && _pg_admin -c 'select 1' >/dev/null 2>&1; then
        password=${PGPASSWORD:-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')}
        _pg_admin -v ON_ERROR_STOP=1 -v u="$PGUSER" -v p="$password" >/dev/null <<'SQL' ||
SELECT format('CREATE ROLE %I LOGIN SUPERUSER', :'u')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'u') \gexec
SELECT format('ALTER ROLE %I LOGIN SUPERUSER PASSWORD %L', :'u', :'p') \gexec
SQL
            { _die "cannot create the PostgreSQL role $PGUSER"; return 1; }
        if [ -z "${PGPASSWORD:-}" ]; then
            # libpq (psql and Odoo's psycopg2) reads it from ~/.pgpass.
            touch "$HOME/.pgpass" && chmod 600 "$HOME/.pgpass"
            printf '%s:%s:*:%s:%s\n' "$PGHOST" "$PGPORT" "$PGUSER" "$password" >> "$HOME/.pgpass"
        fi
        printf 'role %s ready ' "$PGUSER"
        _pg_connects && return 0
    fi
    _die "PostgreSQL at $PGHOST:$PGPORT refuses user $PGUSER (set PGUSER/PGPASSWORD)"
}

# Everything the run and the tests need; one progress line per step.
mercator_setup() {
    mercator_find_odoo
    if ! _skipped packages; then
        _step "Debian packages"
        _install_packages "${MERCATOR_DEBIAN_PACKAGES[@]}" || return 1
        _ok
    fi
    _step "linters and pytest in $MERCATOR_DATA/dev-venv"
    _install_dev_tools || return 1
    if [ -f "$_mercator_repo/package-lock.json" ]; then
        _step "eslint and prettier in node_modules/"
        _install_js_linters || return 1
    fi
    if ! _skipped postgresql; then
        _step "PostgreSQL at $PGHOST:$PGPORT (user $PGUSER)"
        _setup_postgresql || return 1
        _ok
    fi
    if [ -z "${ODOO_HOME:-}" ]; then
        _step "Odoo (${odoo_cmd[0]})"
        _ok "found on PATH"
    else
        _step "Odoo 18.0 source in $ODOO_HOME"
        if _is_odoo18 "$ODOO_HOME"; then
            _ok "present"
        elif [ -f "$ODOO_HOME/odoo-bin" ]; then
            _die "ODOO_HOME=$ODOO_HOME holds an Odoo that is not 18.0"; return 1
        else
            _install_odoo_source || return 1
            _ok "installed from ${ODOO_SOURCE:-$MERCATOR_ODOO_GIT}"
        fi
        _step "Odoo's Python in $ODOO_HOME/.venv"
        if [ -f "$ODOO_HOME/.venv/.mercator-setup" ] &&
                [ "$(cat "$ODOO_HOME/.venv/.mercator-setup")" = "$(_venv_stamp)" ]; then
            _ok "present"
        else
            _install_venv || return 1
            _ok "installed"
        fi
    fi
    # shellcheck disable=SC2034  # db_args and pg_args are for the callers
    db_args=(--db_host "$PGHOST" --db_port "$PGPORT" --db_user "$PGUSER")
    [ -n "${PGPASSWORD:-}" ] && db_args+=(--db_password "$PGPASSWORD")
    # shellcheck disable=SC2034
    pg_args=(-h "$PGHOST" -p "$PGPORT" -U "$PGUSER")
    return 0
}
