#!/usr/bin/env python3
"""Generates src/Doris.Kubernetes/Models/*.g.cs from the Kubernetes OpenAPI v2 schema.

Developer tool, run by hand when the modelled Kubernetes version changes:
    python3 tools/gen-kube-model.py ../shared/reference/kubernetes/swagger.json
It emits field names and types only (facts), no descriptions. The product never reads the
schema at run time.
"""
import json, os, re, sys, collections

ROOTS = [
    "io.k8s.api.apps.v1.StatefulSet", "io.k8s.api.apps.v1.StatefulSetList",
    "io.k8s.api.apps.v1.Deployment", "io.k8s.api.apps.v1.DeploymentList",
    "io.k8s.api.core.v1.Pod", "io.k8s.api.core.v1.PodList",
    "io.k8s.api.core.v1.Service", "io.k8s.api.core.v1.ServiceList",
    "io.k8s.api.core.v1.ConfigMap", "io.k8s.api.core.v1.ConfigMapList",
    "io.k8s.api.core.v1.Secret", "io.k8s.api.core.v1.SecretList",
    "io.k8s.api.core.v1.PersistentVolumeClaim", "io.k8s.api.core.v1.PersistentVolumeClaimList",
    "io.k8s.api.core.v1.Node", "io.k8s.api.core.v1.NodeList",
    "io.k8s.api.core.v1.Event", "io.k8s.api.core.v1.EventList",
    "io.k8s.api.core.v1.Namespace", "io.k8s.api.core.v1.ServiceAccount",
    "io.k8s.api.policy.v1.PodDisruptionBudget", "io.k8s.api.policy.v1.PodDisruptionBudgetList",
    "io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler", "io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerList",
    "io.k8s.api.autoscaling.v1.Scale",
    "io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler", "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerList",
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition",
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionList",
    "io.k8s.api.coordination.v1.Lease", "io.k8s.api.coordination.v1.LeaseList",
    "io.k8s.api.rbac.v1.Role", "io.k8s.api.rbac.v1.ClusterRole",
    "io.k8s.api.rbac.v1.RoleBinding", "io.k8s.api.rbac.v1.ClusterRoleBinding",
    "io.k8s.apimachinery.pkg.apis.meta.v1.Status",
    "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent",
    "io.k8s.api.storage.v1.StorageClass",
]

# Definitions modelled by hand or kept as raw JSON.
SPECIAL = {
    "io.k8s.apimachinery.pkg.api.resource.Quantity": "Quantity",
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": "IntOrString",
    "io.k8s.apimachinery.pkg.apis.meta.v1.Time": "DateTimeOffset",
    "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": "DateTimeOffset",
}
RAW = {
    "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1",
    "io.k8s.apimachinery.pkg.runtime.RawExtension",
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON",
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps",
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray",
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool",
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray",
}

def group_version(name):
    # io.k8s.api.core.v1.Pod -> CoreV1 ; io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta -> MetaV1
    parts = name.split(".")
    version, group = parts[-2], parts[-3]
    if group == "apiextensions":
        group = "apiextensions"
    return group[0].upper() + group[1:] + version[0].upper() + version[1:]

def main(path, out_dir):
    defs = json.load(open(path))["definitions"]
    needed, queue = [], list(ROOTS)
    seen = set()
    def refs(schema):
        if isinstance(schema, dict):
            if "$ref" in schema:
                yield schema["$ref"].split("/")[-1]
            for v in schema.values():
                yield from refs(v)
        elif isinstance(schema, list):
            for v in schema:
                yield from refs(v)
    while queue:
        n = queue.pop(0)
        if n in seen or n in SPECIAL or n in RAW:
            continue
        seen.add(n)
        needed.append(n)
        queue.extend(refs(defs[n]))

    simple = collections.defaultdict(list)
    for n in needed:
        simple[n.split(".")[-1]].append(n)
    cls = {}
    for s, names in simple.items():
        if len(names) == 1:
            cls[names[0]] = s
        else:
            # The newest stable version keeps the plain name; older ones carry their version.
            names.sort(key=lambda n: (n.split(".")[-2] not in ("v2",), "v1" in n.split(".")[-2]))
            for i, n in enumerate(names):
                cls[n] = s if i == 0 else s + n.split(".")[-2].upper()
    for n in needed:
        if cls[n] in ("Quantity", "IntOrString"):
            raise SystemExit("class name clash: " + n)

    def cs_type(schema):
        if "$ref" in schema:
            r = schema["$ref"].split("/")[-1]
            if r in SPECIAL:
                return SPECIAL[r], r
            if r in RAW:
                return "JsonElement", None
            return cls[r], None
        t = schema.get("type")
        if t == "string":
            if schema.get("format") == "byte":
                return "string", None
            return "string", None
        if t == "integer":
            return ("int" if schema.get("format") == "int32" else "long"), None
        if t == "number":
            return "double", None
        if t == "boolean":
            return "bool", None
        if t == "array":
            inner, _ = cs_type(schema["items"])
            return f"IReadOnlyList<{inner}>", None
        if t == "object" and "additionalProperties" in schema:
            inner, _ = cs_type(schema["additionalProperties"])
            return f"IReadOnlyDictionary<string, {inner}>", None
        return "JsonElement", None

    def prop_name(json_name, owner):
        n = re.sub(r"[^A-Za-z0-9]+(.)", lambda m: m.group(1).upper(), json_name.lstrip("$"))
        n = n[0].upper() + n[1:]
        if n == owner:
            n += "Value"
        return n

    by_file = collections.defaultdict(list)
    for n in sorted(needed, key=lambda n: cls[n]):
        by_file[group_version(n)].append(n)
    os.makedirs(out_dir, exist_ok=True)
    for old in os.listdir(out_dir):
        if old.endswith(".g.cs"):
            os.remove(os.path.join(out_dir, old))
    for gv, names in by_file.items():
        lines = ["// <auto-generated>", "// Generated by tools/gen-kube-model.py from the Kubernetes v1.34 OpenAPI schema. Do not edit.",
                 "// </auto-generated>", "#nullable enable", "using System.Text.Json;", "using System.Text.Json.Serialization;", "",
                 "namespace Doris.Kubernetes.Models;", ""]
        for n in names:
            d = defs[n]
            c = cls[n]
            gvk = d.get("x-kubernetes-group-version-kind")
            if gvk and len(gvk) == 1:
                g = gvk[0]
                api = (g["group"] + "/" if g["group"] else "") + g["version"]
                lines.append(f"[KubernetesKind(\"{api}\", \"{g['kind']}\")]")
            top = gvk and len(gvk) == 1 and "metadata" in (d.get("properties") or {}) and "kind" in (d.get("properties") or {}) \
                and d["properties"]["metadata"].get("$ref", "").endswith("meta.v1.ObjectMeta")
            lines.append(f"public sealed partial record {c}" + (" : IKubernetesObject" if top else ""))
            lines.append("{")
            for pj, ps in sorted((d.get("properties") or {}).items()):
                t, special = cs_type(ps)
                pn = prop_name(pj, c)
                lines.append(f"    [JsonPropertyName(\"{pj}\")]")
                if special == "io.k8s.apimachinery.pkg.apis.meta.v1.Time":
                    lines.append("    [JsonConverter(typeof(KubeTimeConverter))]")
                elif special == "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime":
                    lines.append("    [JsonConverter(typeof(KubeMicroTimeConverter))]")
                if pj in (d.get("required") or []):
                    lines.append("    [KubernetesRequired]")
                lines.append(f"    public {t}? {pn} {{ get; init; }}")
                lines.append("")
            lines.append("    /// <summary>Fields this model does not know, kept so a read-modify-write never drops them. Settable only because System.Text.Json cannot fill extension data through init.</summary>")
            lines.append("    [JsonExtensionData]")
            lines.append("    public IDictionary<string, JsonElement>? Unmodelled { get; set; }")
            lines.append("}")
            lines.append("")
        open(os.path.join(out_dir, gv + ".g.cs"), "w").write("\n".join(lines))
    print(f"{len(needed)} types in {len(by_file)} files")

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "src", "Doris.Kubernetes", "Models"))
