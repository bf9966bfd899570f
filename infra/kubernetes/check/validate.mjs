// Validates the manifests check.sh rendered, offline, in three ways:
//   1. schema: every object through kubernetes-models' validators (types, enums, required fields);
//   2. strict fields: every key must be a field of its Kubernetes type (read from the models' type declarations),
//      which the validators alone let through (a misspelt "readinesProbe" would be silently dropped by the API);
//   3. the gateway's contract: probes on the health paths the code serves, ports and Service selectors that meet,
//      settings the gateway reads, pachd reached on its container port, the security context, the shutdown bound
//      inside the grace period, TLS files where the settings point.
// Then it breaks copies of the sidecar rendering on purpose and fails unless each break is reported.
// usage: node validate.mjs REPO_ROOT RENDER_DIR   (RENDER_DIR holds <overlay>.yaml for every check/ overlay)
//        node validate.mjs --types FILE...           (1 and 2 only, for any rendering, e.g. the chart's with the gateway)
import { readFileSync, existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const here = path.dirname(fileURLToPath(import.meta.url));
const nodeModules = path.join(here, "node_modules");
const [root, renderDir] = process.argv[2] === "--types" ? [path.resolve(here, "../../.."), null] : process.argv.slice(2);

// ---- what the code says -----------------------------------------------------------------------------------------
const health = readFileSync(path.join(root, "functions/Gateway.Functions/Hosting/HealthEndpoints.cs"), "utf8");
const livePath = health.match(/LivePath = "([^"]+)"/)[1];
const readyPath = health.match(/ReadyPath = "([^"]+)"/)[1];
const aliases = new Set([...readFileSync(path.join(root, "functions/Gateway.Functions/Hosting/ConfigurationAliases.cs"), "utf8")
  .matchAll(/\("([A-Z_]+)", "[^"]+"\)/g)].map((m) => m[1]));
const standin = parse(readFileSync(path.join(here, "pachd/deployment.yaml"), "utf8"))[0];

function parse(text) {
  return parseAllDocuments(text).map((d) => {
    if (d.errors.length) throw new Error(d.errors.map(String).join("; "));
    return d.toJS();
  }).filter(Boolean);
}

/** JSON with object keys sorted: equal for equal objects whatever order a tool wrote their keys in. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

// ---- 1. schema --------------------------------------------------------------------------------------------------
function modelFile(obj) {
  const group = obj.apiVersion.includes("/") ? obj.apiVersion : `v1`;
  return path.join(nodeModules, "kubernetes-models", group, `${obj.kind}.js`);
}

async function schemaErrors(obj, where) {
  const file = modelFile(obj);
  if (!existsSync(file)) return [`${where}: no model for ${obj.apiVersion} ${obj.kind}`];
  const module = await import(file);
  try {
    new module[obj.kind](obj).validate();
    return [];
  } catch (e) {
    return [`${where}: ${e.message.split("\n").join(" ")}`];
  }
}

// ---- 2. strict fields -------------------------------------------------------------------------------------------
const interfaces = new Map();
function interfaceOf(file) {
  if (interfaces.has(file)) return interfaces.get(file);
  let found = null;
  if (existsSync(file)) {
    const text = readFileSync(file, "utf8");
    const imports = {};
    for (const m of text.matchAll(/import \{ (\w+) \} from "([^"]+)";/g)) imports[m[1]] = m[2];
    const body = text.match(/export interface \w+(?: extends [^{]+)? \{\n([\s\S]*?)\n\}/);
    if (body) {
      const props = {};
      for (const line of body[1].split("\n")) {
        const m = line.match(/^ {4}"([^"]+)"\??: (.*?);?$/);
        if (m) props[m[1]] = m[2];
      }
      found = { file, imports, props };
    }
  }
  interfaces.set(file, found);
  return found;
}

function resolveImport(from, specifier) {
  const base = specifier.startsWith(".") ? path.resolve(path.dirname(from), specifier) : path.join(nodeModules, specifier);
  return base.replace(/\.js$/, "") + ".d.ts";
}

function unknownFields(value, file, where, errors) {
  if (value === null || typeof value !== "object") return;
  const type = interfaceOf(file);
  if (!type) return; // a scalar alias (Quantity, IntOrString) or a map
  for (const [key, child] of Object.entries(value)) {
    if (!(key in type.props)) {
      errors.push(`${where}.${key}: not a field of ${path.basename(file, ".d.ts")}`);
      continue;
    }
    const t = type.props[key];
    const array = t.match(/^Array<(\w+)>$/);
    const name = array ? array[1] : t;
    if (!type.imports[name]) continue;
    const next = resolveImport(type.file, type.imports[name]);
    if (array && Array.isArray(child)) child.forEach((e, i) => unknownFields(e, next, `${where}.${key}[${i}]`, errors));
    else unknownFields(child, next, `${where}.${key}`, errors);
  }
}

// ---- 3. the gateway's contract ----------------------------------------------------------------------------------
function contract(docs, variant) {
  const errors = [];
  const check = (ok, message) => { if (!ok) errors.push(message); };
  const byKind = (kind) => docs.filter((d) => d.kind === kind);
  const sidecar = variant.startsWith("sidecar");
  const tls = variant.endsWith("-tls");
  const deployments = byKind("Deployment").filter((d) => d.spec.template.spec.containers.some((c) => c.name === "s3-gateway"));
  check(deployments.length === 1, `one Deployment must run the s3-gateway container, found ${deployments.length}`);
  if (deployments.length !== 1) return errors;
  const deployment = deployments[0];
  const pod = deployment.spec.template.spec;
  const gateway = pod.containers.find((c) => c.name === "s3-gateway");
  const settingsName = gateway.envFrom?.[0]?.configMapRef?.name;
  const configMap = byKind("ConfigMap").find((c) => c.metadata.name === settingsName);
  check(configMap, `the gateway's settings ConfigMap ${settingsName} is not in the rendering`);
  const settings = configMap?.data ?? {};
  for (const key of Object.keys(settings)) {
    check(aliases.has(key), `setting ${key} is no variable the gateway reads (ConfigurationAliases.Map)`);
  }

  if (sidecar) {
    check(deployment.metadata.name === "pachd", `the sidecar must join Deployment pachd, not ${deployment.metadata.name}`);
    const pachd = pod.containers.find((c) => c.name === "pachd");
    check(canonical(pachd) === canonical(standin.spec.template.spec.containers[0]), "the pachd container was changed");
    const grpc = pachd?.ports?.find((p) => p.name === "api-grpc-port")?.containerPort;
    check(new RegExp(`^grpc://(localhost|127\\.0\\.0\\.1):${grpc}$`).test(settings.PACHD_ADDRESS ?? ""),
      `PACHD_ADDRESS ${settings.PACHD_ADDRESS} is not pachd's gRPC container port ${grpc} on localhost`);
    check(deployment.spec.template.metadata?.annotations?.["kubectl.kubernetes.io/default-container"] === "pachd",
      "kubectl logs/exec must keep defaulting to pachd (kubectl.kubernetes.io/default-container)");
    for (const v of standin.spec.template.spec.volumes) {
      check(pod.volumes.filter((x) => x.name === v.name).length === 1, `pachd's volume ${v.name} is missing or duplicated`);
    }
  } else {
    check(/^grpc:\/\/[a-z0-9.-]+:\d+$/.test(settings.PACHD_ADDRESS ?? ""), `PACHD_ADDRESS ${settings.PACHD_ADDRESS} is no grpc://host:port`);
  }

  // Ports, probes, Service.
  const ports = pod.containers.flatMap((c) => c.ports ?? []);
  const names = ports.filter((p) => p.name).map((p) => p.name);
  check(new Set(names).size === names.length, `port names repeat in the pod: ${names}`);
  for (const n of names) check(n.length <= 15 && /^[a-z0-9-]*[a-z][a-z0-9-]*$/.test(n), `port name ${n} is no IANA service name`);
  const http = gateway.ports.find((p) => p.name === "s3-http");
  check(http && String(http.containerPort) === settings.GATEWAY_PORT, `container port s3-http ${http?.containerPort} differs from GATEWAY_PORT ${settings.GATEWAY_PORT}`);
  for (const [probe, wanted] of [["livenessProbe", livePath], ["readinessProbe", readyPath]]) {
    const p = gateway[probe];
    check(p?.httpGet?.path === wanted, `${probe} must GET ${wanted} (HealthEndpoints), not ${p?.httpGet?.path}`);
    check(p?.httpGet?.port === "s3-http" && !p?.httpGet?.scheme, `${probe} must use plain http on s3-http`);
  }
  const readyTimeout = Number(settings.GATEWAY_READY_TIMEOUT_SECONDS ?? 2);
  check((gateway.readinessProbe?.timeoutSeconds ?? 1) > readyTimeout,
    `readinessProbe.timeoutSeconds ${gateway.readinessProbe?.timeoutSeconds} must exceed GATEWAY_READY_TIMEOUT_SECONDS ${readyTimeout}`);
  const grace = pod.terminationGracePeriodSeconds ?? 30;
  check(Number(settings.GATEWAY_SHUTDOWN_SECONDS ?? 25) < grace,
    `GATEWAY_SHUTDOWN_SECONDS ${settings.GATEWAY_SHUTDOWN_SECONDS} must be below the grace period ${grace}`);
  const services = byKind("Service").filter((s) => s.metadata.name === "s3-gateway");
  check(services.length === 1, "one Service s3-gateway");
  for (const s of services) {
    const labels = deployment.spec.template.metadata.labels;
    for (const [k, v] of Object.entries(s.spec.selector)) check(labels[k] === v, `Service selector ${k}=${v} does not select the pod`);
    for (const p of s.spec.ports) check(gateway.ports.some((c) => c.name === p.targetPort), `Service port ${p.name} targets ${p.targetPort}, no gateway port`);
    check(s.spec.ports.some((p) => p.port === 30600 && p.targetPort === "s3-http"), "the Service must expose 30600");
  }

  // Resources and security.
  for (const r of ["requests", "limits"]) for (const k of ["cpu", "memory"]) check(gateway.resources?.[r]?.[k], `resources.${r}.${k} missing`);
  const sc = gateway.securityContext ?? {};
  check(sc.runAsNonRoot === true, "runAsNonRoot");
  check(Number.isInteger(sc.runAsUser) && sc.runAsUser > 0, "runAsUser: a non-root uid of the container's own (the pod's may be 0)");
  for (const d of docs) {
    check((d.metadata.namespace ?? "") === (deployment.metadata.namespace ?? ""),
      `${d.kind}/${d.metadata.name} is in namespace '${d.metadata.namespace ?? ""}', the Deployment in '${deployment.metadata.namespace ?? ""}'`);
  }
  check(sc.readOnlyRootFilesystem === true, "readOnlyRootFilesystem");
  check(sc.allowPrivilegeEscalation === false, "allowPrivilegeEscalation false");
  check(JSON.stringify(sc.capabilities?.drop) === '["ALL"]', "capabilities.drop [ALL]");
  for (const m of gateway.volumeMounts ?? []) check(pod.volumes.some((v) => v.name === m.name), `volumeMount ${m.name} has no volume`);
  check((gateway.volumeMounts ?? []).some((m) => m.mountPath === "/tmp"), "a writable /tmp (emptyDir) for the read-only root filesystem");
  const volumeNames = pod.volumes.map((v) => v.name);
  check(new Set(volumeNames).size === volumeNames.length, `volume names repeat: ${volumeNames}`);

  // TLS.
  const https = gateway.ports.find((p) => p.name === "s3-https");
  if (tls) {
    check(https && String(https.containerPort) === settings.GATEWAY_TLS_PORT, `s3-https ${https?.containerPort} differs from GATEWAY_TLS_PORT ${settings.GATEWAY_TLS_PORT}`);
    const mount = gateway.volumeMounts.find((m) => m.name === "s3-gateway-tls");
    const volume = pod.volumes.find((v) => v.name === "s3-gateway-tls");
    check(volume?.secret?.secretName, "the TLS volume must be a Secret");
    for (const key of ["GATEWAY_TLS_CERT", "GATEWAY_TLS_KEY"]) {
      check(mount && settings[key]?.startsWith(mount.mountPath + "/"), `${key} ${settings[key]} is not under the Secret's mount ${mount?.mountPath}`);
    }
    check(services.some((s) => s.spec.ports.some((p) => p.targetPort === "s3-https")), "the Service must expose https");
  } else {
    check(!https && !settings.GATEWAY_TLS_CERT, "https is configured without the TLS component");
  }
  return errors;
}

async function validate(docs, variant) {
  const errors = [];
  for (const [i, obj] of docs.entries()) {
    const where = `${obj.kind}/${obj.metadata?.name ?? i}`;
    errors.push(...await schemaErrors(obj, where));
    const dts = modelFile(obj).replace(/\.js$/, ".d.ts");
    unknownFields(obj, dts, where, errors);
  }
  errors.push(...contract(docs, variant));
  return errors;
}

// ---- run ----------------------------------------------------------------------------------------------------------
let failed = 0;
if (process.argv[2] === "--types") {
  for (const file of process.argv.slice(3)) {
    for (const [i, obj] of parse(readFileSync(file, "utf8")).entries()) {
      const where = `${path.basename(file)}: ${obj.kind}/${obj.metadata?.name ?? i}`;
      const errors = await schemaErrors(obj, where);
      unknownFields(obj, modelFile(obj).replace(/\.js$/, ".d.ts"), where, errors);
      for (const e of errors) console.log(`FAIL ${e}`);
      failed += errors.length;
    }
  }
  console.log(failed ? `${failed} error(s)` : "ok");
  process.exit(failed ? 1 : 0);
}
const renders = readdirSync(renderDir).filter((f) => f.endsWith(".yaml")).sort();
if (renders.length === 0) { console.log("FAIL nothing rendered"); process.exit(1); }
const rendered = {};
for (const file of renders) {
  const variant = path.basename(file, ".yaml");
  const docs = parse(readFileSync(path.join(renderDir, file), "utf8"));
  rendered[variant] = docs;
  const errors = await validate(docs, variant);
  console.log(`${errors.length ? "FAIL" : "ok  "} ${variant}: ${docs.map((d) => `${d.kind}/${d.metadata.name}`).join(", ")}`);
  for (const e of errors) console.log(`     ${e}`);
  if (errors.length) failed++;
}

// The validator must catch what it claims to: each break below must be reported.
const gatewayOf = (docs) => docs.find((d) => d.kind === "Deployment").spec.template.spec.containers.find((c) => c.name === "s3-gateway");
const breaks = {
  "a misspelt field (readinesProbe)": (d) => { const g = gatewayOf(d); g.readinesProbe = g.readinessProbe; delete g.readinessProbe; },
  "an unknown field only the strict check sees": (d) => { gatewayOf(d).securityContext.readOnlyRootFileSystem = true; },
  "replicas as a string": (d) => { d.find((x) => x.kind === "Deployment").spec.replicas = "one"; },
  "a probe on another path": (d) => { gatewayOf(d).readinessProbe.httpGet.path = "/healthz"; },
  "pachd on the wrong port": (d) => { d.find((x) => x.kind === "ConfigMap").data.PACHD_ADDRESS = "grpc://localhost:30650"; },
  "a Service that selects nothing": (d) => { d.find((x) => x.kind === "Service").spec.selector.app = "pachd-x"; },
  "a writable root filesystem": (d) => { gatewayOf(d).securityContext.readOnlyRootFilesystem = false; },
  "a pod running as root reaching the gateway": (d) => { delete gatewayOf(d).securityContext.runAsUser; },
  "the gateway's objects in another namespace": (d) => { d.find((x) => x.kind === "Service").metadata.namespace = "default"; },
  "an unknown setting": (d) => { d.find((x) => x.kind === "ConfigMap").data.GATEWAY_SHUTDOWN_SECOND = "25"; },
};
if (rendered.sidecar) {
  for (const [name, apply] of Object.entries(breaks)) {
    const copy = structuredClone(rendered.sidecar);
    apply(copy);
    const errors = await validate(copy, "sidecar");
    if (errors.length === 0) {
      console.log(`FAIL self-test: ${name} went unreported`);
      failed++;
    }
  }
  console.log(`ok   self-test: ${Object.keys(breaks).length} deliberate breaks of the sidecar rendering reported`);
} else {
  console.log("FAIL no sidecar rendering for the self-test");
  failed++;
}
process.exit(failed ? 1 : 0);
