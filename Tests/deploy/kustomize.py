"""A small Kustomize renderer for k8s/, so the manifests are checked where no kubectl is.

It renders exactly the Kustomize features k8s/ uses, the way kustomize v5 does, and
refuses anything else by name (so a kustomization that starts using another feature fails
the check instead of being rendered wrongly):

  resources          files (one or more YAML documents) and folders with a kustomization
  namespace          set on every namespaced object
  images             name -> newName / newTag, in containers and initContainers
  replicas           spec.replicas of Deployments and StatefulSets
  patches            RFC 6902 JSON patches (inline `patch` or `path`) with a kind/name target
  configMapGenerator files and literals, with options.disableNameSuffixHash: true

deploy_check.py compares its output with `kubectl kustomize` when a kubectl is installed.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass

import yaml

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
SUPPORTED_FIELDS = {
    "apiVersion", "kind", "resources", "namespace", "images", "replicas", "patches", "configMapGenerator",
}
CLUSTER_SCOPED_KINDS = {
    "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume",
    "StorageClass", "PriorityClass", "IngressClass", "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration", "APIService", "ClusterTriggerAuthentication",
}
REPLICA_KINDS = {"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"}


class KustomizeError(Exception):
    """A kustomization this renderer cannot render, with the file and the reason."""


@dataclass
class Resource:
    obj: dict
    origin: str  # file the object came from (for messages)

    @property
    def key(self) -> tuple[str, str, str, str]:
        meta = self.obj.get("metadata") or {}
        return (self.obj.get("apiVersion", ""), self.obj.get("kind", ""), meta.get("namespace", ""), meta.get("name", ""))

    def describe(self) -> str:
        meta = self.obj.get("metadata") or {}
        return f"{self.obj.get('kind')} {meta.get('name')} ({self.origin})"


def load_yaml_documents(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        try:
            docs = [d for d in yaml.safe_load_all(f) if d is not None]
        except yaml.YAMLError as error:
            raise KustomizeError(f"{path}: not valid YAML: {error}") from error
    for doc in docs:
        if not isinstance(doc, dict) or "kind" not in doc or "apiVersion" not in doc:
            raise KustomizeError(f"{path}: a document without apiVersion and kind")
    return docs


def kustomization_file(folder: str) -> str:
    for name in KUSTOMIZATION_FILES:
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate):
            return candidate
    raise KustomizeError(f"{folder}: no kustomization.yaml")


def render(folder: str) -> list[Resource]:
    """The objects `kustomize build folder` would print (order aside)."""
    folder = os.path.normpath(folder)
    path = kustomization_file(folder)
    with open(path, encoding="utf-8") as f:
        spec = yaml.safe_load(f) or {}
    unknown = sorted(set(spec) - SUPPORTED_FIELDS)
    if unknown:
        raise KustomizeError(
            f"{path}: field(s) {', '.join(unknown)} are not rendered by Tests/deploy/kustomize.py "
            f"(supported: {', '.join(sorted(SUPPORTED_FIELDS))})")

    resources: list[Resource] = []
    for entry in spec.get("resources") or []:
        if "://" in entry or entry.startswith("github.com/"):
            raise KustomizeError(f"{path}: remote resource {entry} is not supported")
        target = os.path.normpath(os.path.join(folder, entry))
        if os.path.isdir(target):
            resources += render(target)
        elif os.path.isfile(target):
            resources += [Resource(doc, os.path.relpath(target)) for doc in load_yaml_documents(target)]
        else:
            raise KustomizeError(f"{path}: resource {entry} does not exist")

    for generator in spec.get("configMapGenerator") or []:
        resources.append(generate_config_map(generator, folder, path))

    seen: dict[tuple, Resource] = {}
    for resource in resources:
        if resource.key in seen:
            raise KustomizeError(
                f"{path}: {resource.describe()} has the same id as {seen[resource.key].describe()}")
        seen[resource.key] = resource

    for index, patch in enumerate(spec.get("patches") or []):
        apply_patch(patch, resources, folder, f"{path}: patches[{index}]")
    if spec.get("namespace"):
        for resource in resources:
            set_namespace(resource.obj, spec["namespace"])
    for image in spec.get("images") or []:
        set_image(image, resources, path)
    for replica in spec.get("replicas") or []:
        set_replicas(replica, resources, path)
    return resources


def generate_config_map(generator: dict, folder: str, path: str) -> Resource:
    allowed = {"name", "files", "literals", "options"}
    unknown = set(generator) - allowed
    if unknown:
        raise KustomizeError(f"{path}: configMapGenerator field(s) {', '.join(sorted(unknown))} are not supported")
    options = generator.get("options") or {}
    if options.get("disableNameSuffixHash") is not True:
        raise KustomizeError(
            f"{path}: configMapGenerator {generator.get('name')} needs options.disableNameSuffixHash: true "
            "(name hashes, and the references they rewrite, are not rendered)")
    data: dict[str, str] = {}
    for entry in generator.get("files") or []:
        key, _, rel = entry.partition("=") if "=" in entry else (os.path.basename(entry), "", entry)
        file_path = os.path.normpath(os.path.join(folder, rel))
        if not file_path.startswith(folder + os.sep):
            raise KustomizeError(f"{path}: configMapGenerator file {rel} is outside the kustomization's folder")
        with open(file_path, encoding="utf-8") as f:
            data[key] = f.read()
    for literal in generator.get("literals") or []:
        key, _, value = literal.partition("=")
        data[key] = value
    meta: dict = {"name": generator["name"]}
    if options.get("labels"):
        meta["labels"] = dict(options["labels"])
    if options.get("annotations"):
        meta["annotations"] = dict(options["annotations"])
    return Resource({"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": data}, os.path.relpath(path))


def matches(resource: Resource, target: dict) -> bool:
    meta = resource.obj.get("metadata") or {}
    kind = target.get("kind")
    if kind and resource.obj.get("kind") != kind:
        return False
    if target.get("name") and meta.get("name") != target["name"]:
        return False
    if target.get("namespace") and meta.get("namespace", "") != target["namespace"]:
        return False
    api = resource.obj.get("apiVersion", "")
    group, _, version = api.rpartition("/")
    if target.get("group") is not None and target.get("group") != group:
        return False
    if target.get("version") and target["version"] != version:
        return False
    return True


def apply_patch(patch: dict, resources: list[Resource], folder: str, where: str) -> None:
    unknown = set(patch) - {"target", "patch", "path"}
    if unknown:
        raise KustomizeError(f"{where}: field(s) {', '.join(sorted(unknown))} are not supported")
    target = patch.get("target") or {}
    if not target.get("kind") or not target.get("name"):
        raise KustomizeError(f"{where}: a patch needs target.kind and target.name")
    if set(target) - {"group", "version", "kind", "name", "namespace"}:
        raise KustomizeError(f"{where}: target selectors other than group/version/kind/name/namespace are not supported")
    if "path" in patch:
        with open(os.path.join(folder, patch["path"]), encoding="utf-8") as f:
            text = f.read()
    else:
        text = patch.get("patch", "")
    ops = yaml.safe_load(text)
    if not isinstance(ops, list):
        raise KustomizeError(f"{where}: only JSON 6902 patches (a list of operations) are rendered, not strategic merge")
    hits = [r for r in resources if matches(r, target)]
    if not hits:
        raise KustomizeError(f"{where}: target {target['kind']} {target['name']} matches no resource")
    for resource in hits:
        for op in ops:
            try:
                json_patch(resource.obj, op)
            except KustomizeError as error:
                raise KustomizeError(f"{where}: on {resource.describe()}: {error}") from None


def pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise KustomizeError(f"JSON pointer {path!r} must start with /")
    return [part.replace("~1", "/").replace("~0", "~") for part in path[1:].split("/")]


def walk(doc, parts: list[str], path: str):
    node = doc
    for part in parts:
        if isinstance(node, dict):
            if part not in node:
                raise KustomizeError(f"path {path} does not exist (no {part!r})")
            node = node[part]
        elif isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                raise KustomizeError(f"path {path} does not exist (index {part!r} of {len(node)})")
            node = node[int(part)]
        else:
            raise KustomizeError(f"path {path} goes through a scalar")
    return node


def json_patch(doc: dict, op: dict) -> None:
    kind, path = op.get("op"), op.get("path")
    if kind not in {"add", "replace", "remove", "test"} or path is None:
        raise KustomizeError(f"unsupported JSON patch operation {op!r} (add, replace, remove, test)")
    parts = pointer(path)
    if not parts:
        raise KustomizeError("a JSON patch on the whole object is not supported")
    parent = walk(doc, parts[:-1], path)
    last = parts[-1]
    if kind == "test":
        if walk(doc, parts, path) != op.get("value"):
            raise KustomizeError(f"test of {path} failed")
        return
    if isinstance(parent, dict):
        if kind in {"replace", "remove"} and last not in parent:
            raise KustomizeError(f"{kind} of {path}: no such field")
        if kind == "remove":
            del parent[last]
        else:
            parent[last] = copy.deepcopy(op.get("value"))
    elif isinstance(parent, list):
        if kind == "add" and last == "-":
            parent.append(copy.deepcopy(op.get("value")))
            return
        if not last.isdigit():
            raise KustomizeError(f"{path}: {last!r} is not an index")
        index = int(last)
        limit = len(parent) if kind == "add" else len(parent) - 1
        if index > limit:
            raise KustomizeError(f"{path}: index {index} out of range")
        if kind == "add":
            parent.insert(index, copy.deepcopy(op.get("value")))
        elif kind == "replace":
            parent[index] = copy.deepcopy(op.get("value"))
        else:
            del parent[index]
    else:
        raise KustomizeError(f"{path}: parent is a scalar")


def set_namespace(obj: dict, namespace: str) -> None:
    if obj.get("kind") in CLUSTER_SCOPED_KINDS:
        return
    obj.setdefault("metadata", {})["namespace"] = namespace


def pod_specs(obj: dict) -> list[dict]:
    """The pod specs of a workload object (Deployment, StatefulSet, Job, CronJob, Pod ...)."""
    kind, spec = obj.get("kind"), obj.get("spec") or {}
    if kind == "Pod":
        return [spec]
    if kind == "CronJob":
        return [((spec.get("jobTemplate") or {}).get("spec") or {}).get("template", {}).get("spec") or {}]
    template = spec.get("template")
    if isinstance(template, dict) and isinstance(template.get("spec"), dict):
        return [template["spec"]]
    return []


def image_name(image: str) -> str:
    name = image.split("@", 1)[0]
    slash = name.rfind("/")
    colon = name.rfind(":")
    return name[:colon] if colon > slash else name


def set_image(entry: dict, resources: list[Resource], path: str) -> None:
    name = entry.get("name")
    if not name or set(entry) - {"name", "newName", "newTag", "digest"}:
        raise KustomizeError(f"{path}: images entry {entry!r} needs `name` and only newName/newTag/digest")
    hit = False
    for resource in resources:
        for spec in pod_specs(resource.obj):
            for container in (spec.get("containers") or []) + (spec.get("initContainers") or []):
                image = container.get("image", "")
                if image_name(image) != name:
                    continue
                hit = True
                new = entry.get("newName", name)
                if entry.get("digest"):
                    container["image"] = f"{new}@{entry['digest']}"
                elif entry.get("newTag") is not None:
                    container["image"] = f"{new}:{entry['newTag']}"
                else:
                    rest = image[len(name):]
                    container["image"] = new + rest
    if not hit:
        raise KustomizeError(f"{path}: image {name} is used by no container")


def set_replicas(entry: dict, resources: list[Resource], path: str) -> None:
    hits = [r for r in resources if r.obj.get("kind") in REPLICA_KINDS and r.obj["metadata"].get("name") == entry.get("name")]
    if not hits:
        raise KustomizeError(f"{path}: replicas entry {entry.get('name')} names no Deployment or StatefulSet")
    for resource in hits:
        resource.obj.setdefault("spec", {})["replicas"] = int(entry["count"])
