#!/usr/bin/env bash
# Checks, without Docker, that each image's final stage gets a complete and runnable publish output:
#   1. reads infra/docker/<name>.Dockerfile: the build stage's `dotnet publish` command and its -o directory, the final
#      stage's base image, WORKDIR, COPY --from=build, ENV, EXPOSE, USER and ENTRYPOINT;
#   2. runs that same publish command (TARGETARCH = this machine's) into a temporary directory;
#   3. compares: the final stage copies exactly that directory; the ENTRYPOINT assembly is in it; its runtimeconfig
#      asks for the frameworks of the base image and that version; every assembly and native library its deps.json
#      names is there (and nothing for other platforms); ReadyToRun where the command asks for it; appsettings.json
#      where the ENTRYPOINT reads it; no local settings; the files the COPYs take from the context exist and are not
#      excluded by .dockerignore; every GATEWAY_* variable the image sets is one the gateway reads; EXPOSE is the port
#      the image configures; USER is numeric and not root.
# usage: infra/docker/check-publish.sh [gateway|localpachd ...]   (default: both). Exit status 1 on any failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
case "$(uname -m)" in
  x86_64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "unsupported machine $(uname -m)"; exit 1 ;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
names=("$@")
[ ${#names[@]} -eq 0 ] && names=(gateway localpachd)
status=0
for name in "${names[@]}"; do
  echo "== $name (infra/docker/$name.Dockerfile, TARGETARCH=$arch)"
  python3 - "$root" "infra/docker/$name.Dockerfile" "$arch" "$work/$name" <<'PY' || status=1
import fnmatch, json, os, re, shlex, struct, subprocess, sys

root, dockerfile, arch, work = sys.argv[1:5]
failures = []
def fail(message): failures.append(message)

# ---- the Dockerfile ---------------------------------------------------------------------------------------------
text = open(os.path.join(root, dockerfile)).read()
lines, current = [], ""
for raw in text.splitlines():
    if not current and (raw.strip().startswith("#") or not raw.strip()):
        continue
    if raw.rstrip().endswith("\\"):
        current += raw.rstrip()[:-1] + " "
        continue
    lines.append((current + raw).strip())
    current = ""
args = {}
stages = []
for line in lines:
    word, _, rest = line.partition(" ")
    word = word.upper()
    if word == "ARG" and not stages:
        k, _, v = rest.partition("=")
        args[k.strip()] = v.strip()
    elif word == "FROM":
        parts = [p for p in rest.split() if not p.startswith("--platform")]
        image = re.sub(r"\$\{(\w+)\}", lambda m: args.get(m.group(1), m.group(0)), parts[0])
        stages.append({"image": image, "alias": parts[2] if len(parts) > 2 and parts[1].upper() == "AS" else None, "lines": []})
    else:
        stages[-1]["lines"].append((word, rest))
build = next((s for s in stages if s["alias"] == "build"), None)
final = stages[-1]
if build is None or final is build:
    sys.exit(f"{dockerfile}: expected a stage 'build' and a final stage after it")
publish = [rest for word, rest in build["lines"] if word == "RUN" and "dotnet publish" in rest]
if len(publish) != 1:
    sys.exit(f"{dockerfile}: expected one RUN with dotnet publish in the build stage, found {len(publish)}")
command = shlex.split(publish[0][publish[0].index("dotnet publish"):])
out_index = command.index("-o") + 1
publish_out = command[out_index].rstrip("/")
command = [a.replace("${TARGETARCH}", arch).replace("$TARGETARCH", arch) for a in command]
command[out_index] = work
copies = [rest.split() for word, rest in final["lines"] if word == "COPY"]
from_build = [c for c in copies if "--from=build" in c]
workdir = next((rest for word, rest in final["lines"] if word == "WORKDIR"), "/")
env = {}
for word, rest in final["lines"]:
    if word == "ENV":
        for token in shlex.split(rest):
            k, _, v = token.partition("=")
            env[k] = v
entrypoint = json.loads(next(rest for word, rest in final["lines"] if word == "ENTRYPOINT"))
exposed = [rest.split("/")[0] for word, rest in final["lines"] if word == "EXPOSE"]
user = [rest for word, rest in final["lines"] if word == "USER"]

# ---- publish as the Dockerfile does ------------------------------------------------------------------------------
print("   " + " ".join(shlex.quote(a) for a in command))
run = subprocess.run(command + ["-nologo", "-clp:ErrorsOnly"], cwd=root, capture_output=True, text=True)
if run.returncode != 0:
    sys.exit(f"publish failed ({run.returncode}):\n{run.stdout}\n{run.stderr}")
produced = sorted(os.path.relpath(os.path.join(d, f), work) for d, _, fs in os.walk(work) for f in fs)
print(f"   published {len(produced)} files, {sum(os.path.getsize(os.path.join(work, f)) for f in produced) / 2**20:.1f} MiB")

# ---- compare ----------------------------------------------------------------------------------------------------
app = [c for c in from_build if c[-2].rstrip("/") == publish_out]
if len(app) != 1 or app[0][-1] not in ("./", ".", workdir, workdir + "/"):
    fail(f"the final stage must copy the publish output {publish_out}/ into WORKDIR {workdir} exactly once: {from_build}")
for c in from_build:
    if c[-2].rstrip("/") != publish_out and not c[-2].startswith("/volume/"):
        fail(f"the final stage copies {c[-2]} from the build stage, which is not the publish output")
if entrypoint[0] != "dotnet" or len(entrypoint) < 2:
    fail(f"ENTRYPOINT must be [\"dotnet\", \"<assembly>\", ...]: {entrypoint}")
entry = entrypoint[1]
stem = entry[:-4]
if entry not in produced:
    fail(f"ENTRYPOINT assembly {entry} is not in the publish output")
major = re.search(r":(\d+)\.\d+", final["image"])
config_path = os.path.join(work, stem + ".runtimeconfig.json")
if os.path.exists(config_path):
    frameworks = {f["name"]: f["version"] for f in json.load(open(config_path))["runtimeOptions"].get("frameworks", [])}
    if "/dotnet/aspnet:" in final["image"]:
        allowed = {"Microsoft.NETCore.App", "Microsoft.AspNetCore.App"}
    elif "/dotnet/runtime:" in final["image"]:
        allowed = {"Microsoft.NETCore.App"}
    else:
        allowed = set()
        fail(f"unknown runtime base image {final['image']}")
    if not frameworks or not set(frameworks) <= allowed:
        fail(f"{stem}.runtimeconfig.json asks for {sorted(frameworks)}; {final['image']} has {sorted(allowed)}")
    for name, version in frameworks.items():
        if major is None or version.split(".")[0] != major.group(1):
            fail(f"{stem}.runtimeconfig.json asks for {name} {version}; the base image is {final['image']}")
else:
    fail(f"no {stem}.runtimeconfig.json: not a framework-dependent app, but the base image runs one")
deps_path = os.path.join(work, stem + ".deps.json")
deps = json.load(open(deps_path)) if os.path.exists(deps_path) else fail(f"no {stem}.deps.json") or {}
target = next(iter(deps.get("targets", {}).values()), {})
rid = deps.get("runtimeTarget", {}).get("name", "")
expected_rid = {"amd64": "linux-x64", "arm64": "linux-arm64"}[arch]
if not rid.endswith("/" + expected_rid):
    fail(f"{stem}.deps.json targets '{rid}', not {expected_rid}: publish for the image's architecture")
for library, info in target.items():
    for kind in ("runtime", "native"):
        for asset in info.get(kind, {}):
            if os.path.basename(asset) not in produced:
                fail(f"{library} {kind} asset {asset} is named by deps.json but not published")
if any(f.startswith("runtimes" + os.sep) for f in produced):
    fail("the output has runtimes/: assets for other platforms (publish with -a)")
if "Microsoft.Data.Sqlite" in json.dumps(target) and "libe_sqlite3.so" not in produced:
    fail("SQLite is referenced but libe_sqlite3.so is missing (the chiseled image has no system SQLite)")
for bad in ("local.settings.json",):
    if bad in produced:
        fail(f"{bad} must never be in an image")
if "appsettings.json" in os.listdir(os.path.join(root, os.path.dirname(next(a for a in command if a.endswith(".csproj"))))) \
        and "appsettings.json" not in produced:
    fail("appsettings.json is not published, but the app reads it from its content root (WORKDIR)")

def ready_to_run(path):
    # A ReadyToRun image carries a ManagedNativeHeader in its CLI header.
    data = open(path, "rb").read()
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    sections = struct.unpack_from("<H", data, pe + 6)[0]
    optional_size = struct.unpack_from("<H", data, pe + 20)[0]
    optional = pe + 24
    directories = optional + (96 if struct.unpack_from("<H", data, optional)[0] == 0x10B else 112)
    cli_rva = struct.unpack_from("<I", data, directories + 14 * 8)[0]
    for i in range(sections):
        s = optional + optional_size + i * 40
        size, rva, _, raw = struct.unpack_from("<IIII", data, s + 8)
        if rva <= cli_rva < rva + size:
            cli = cli_rva - rva + raw
            return struct.unpack_from("<II", data, cli + 0x40)[1] != 0
    return False
wants_r2r = any(a.lower() == "-p:publishreadytorun=true" for a in command)
own = [f for f in produced if f.endswith(".dll") and (f.startswith("Gateway.") or f.startswith("LocalPachd"))]
for f in own:
    if ready_to_run(os.path.join(work, f)) != wants_r2r:
        fail(f"{f} is {'not ' if wants_r2r else ''}ReadyToRun, but the publish command {'asks' if wants_r2r else 'does not ask'} for it")

# ---- the build context -----------------------------------------------------------------------------------------
ignore = []
ignore_file = os.path.join(root, ".dockerignore")
if os.path.exists(ignore_file):
    ignore = [l.strip().rstrip("/") for l in open(ignore_file) if l.strip() and not l.startswith("#")]
def ignored(path):
    parts = path.strip("/").split("/")
    for i in range(1, len(parts) + 1):
        prefix = "/".join(parts[:i])
        for pattern in ignore:
            p = pattern[3:] if pattern.startswith("**/") else pattern
            if fnmatch.fnmatch(prefix, pattern) or fnmatch.fnmatch(parts[i - 1], p) and pattern.startswith("**/"):
                return pattern
    return None
for stage in stages:
    for word, rest in stage["lines"]:
        if word == "COPY" and "--from=" not in rest:
            for source in rest.split()[:-1]:
                if source.startswith("--"):
                    continue
                if not os.path.exists(os.path.join(root, source)):
                    fail(f"COPY {source}: no such file in the repository")
                elif ignored(source):
                    fail(f"COPY {source}: excluded from the build context by .dockerignore ({ignored(source)})")

# ---- settings -----------------------------------------------------------------------------------------------------
aliases = open(os.path.join(root, "functions/Gateway.Functions/Hosting/ConfigurationAliases.cs")).read()
for name in env:
    if name.startswith("GATEWAY_") and name not in ("GATEWAY_MODE",) and f'"{name}"' not in aliases:
        fail(f"ENV {name} is no setting the gateway reads (ConfigurationAliases.Map)")
port = env.get("GATEWAY_PORT") or env.get("LOCALPACHD_PORT")
if exposed != [port]:
    fail(f"EXPOSE {exposed} differs from the configured port {port}")
if len(user) != 1 or not user[0].isdigit() or user[0] == "0":
    fail(f"USER must be one numeric non-root uid (runAsNonRoot): {user}")

for message in failures:
    print("   FAIL " + message)
print(f"   {'ok' if not failures else str(len(failures)) + ' failure(s)'}")
sys.exit(1 if failures else 0)
PY
done
exit $status
