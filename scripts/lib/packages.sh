# shellcheck shell=bash
# Installs what Clipset needs on Debian 12, only when something is missing:
# the servers (started by infra.sh as plain processes, never as system
# daemons), the C libraries and tools the Swift build and media need, the
# headless browser of the browser tests (chromium, chromium-driver, and
# fonts-liberation so screenshots show real text) and the Python packages of
# the end-to-end tests. The deploy phase's checker (Tests/deploy/deploy_check.py) needs
# docker-compose (Debian's 1.29: `config` validates compose/ offline; --no-install-recommends
# keeps the Docker engine out) and kubernetes-validate (PyPI: k8s/ against the API schemas).
#
#   packages_ensure          Debian packages + PyPI packages
#
# apt runs with a policy-rc.d that forbids starting services, so installing
# leaves no system PostgreSQL, Redis or RabbitMQ running.

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DEBIAN_PACKAGES=(
    postgresql redis-server rabbitmq-server ffmpeg pkg-config
    librabbitmq-dev libhiredis-dev libavformat-dev libavcodec-dev libavutil-dev libswscale-dev
    libcurl4-openssl-dev curl nginx-light openssl
    chromium chromium-driver fonts-liberation
    docker-compose
)
# PyPI package=module pairs for the end-to-end tests (aiosmtpd: the SMTP receiver, smtp.sh;
# selenium: drives Debian's chromium through /usr/bin/chromedriver, Tests/e2e/browser;
# bcrypt: the original Clipset's password hashes in the import test's source database).
PYTHON_PACKAGES=(pytest=pytest requests=requests aiosmtpd=aiosmtpd pika=pika cryptography=cryptography
    openapi-spec-validator=openapi_spec_validator tuspy=tusclient selenium=selenium
    kubernetes-validate=kubernetes_validate bcrypt=bcrypt)
POLICY_RC_D=/usr/sbin/policy-rc.d

# True when Debian package $1 is installed.
deb_installed() {
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

# Prints the Debian packages that are not installed yet.
deb_missing() {
    local pkg
    for pkg in "${DEBIAN_PACKAGES[@]}"; do
        deb_installed "$pkg" || printf '%s\n' "$pkg"
    done
    python3 -m pip --version >/dev/null 2>&1 || printf '%s\n' python3-pip
}

# Prints a command prefix that runs as root (empty when already root).
as_root_prefix() {
    if ((EUID != 0)); then printf 'sudo\n'; fi
}

# Runs apt-get update and install of the packages given, services kept from
# starting; output goes to log file $1 (shown when it fails).
apt_install() {
    local log=$1 sudo created=0 status=0
    shift
    sudo="$(as_root_prefix)"
    if [[ ! -e "$POLICY_RC_D" ]]; then
        printf '#!/bin/sh\nexit 101\n' | $sudo tee "$POLICY_RC_D" >/dev/null
        $sudo chmod 755 "$POLICY_RC_D"
        created=1
    fi
    {
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
            $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
    } </dev/null >"$log" 2>&1 || status=$?
    if ((created)); then $sudo rm -f "$POLICY_RC_D"; fi
    ((status == 0)) || show_log_tail "$log" 40
    return "$status"
}

# Installs the missing Debian packages.
debian_packages_ensure() {
    local missing log
    mapfile -t missing < <(deb_missing)
    if ((${#missing[@]} == 0)); then
        return 0
    fi
    say "installing Debian packages: ${missing[*]}"
    log="$(mktemp -t clipset-apt.XXXXXX)"
    apt_install "$log" "${missing[@]}" || die "apt-get install failed (log: $log)"
    rm -f "$log"
}

# Prints the PyPI packages whose module python3 cannot import.
python_missing() {
    local pair
    for pair in "${PYTHON_PACKAGES[@]}"; do
        python3 -c "import ${pair#*=}" >/dev/null 2>&1 || printf '%s\n' "${pair%%=*}"
    done
}

# Installs the missing PyPI packages for python3.
python_packages_ensure() {
    local missing
    mapfile -t missing < <(python_missing)
    if ((${#missing[@]} == 0)); then
        return 0
    fi
    say "installing PyPI packages: ${missing[*]}"
    PIP_BREAK_SYSTEM_PACKAGES=1 PIP_ROOT_USER_ACTION=ignore \
        python3 -m pip install -q --disable-pip-version-check "${missing[@]}" </dev/null ||
        die "pip install failed"
}

# Installs everything that is missing.
packages_ensure() {
    debian_packages_ensure
    python_packages_ensure
}
