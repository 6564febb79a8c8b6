#!/usr/bin/env bash
# Applies a Clipset overlay with the schema migrations first (docs/operations.md).
#
#   k8s/deploy.sh dev|production
#
# 1. deletes the previous migration Job (a Job's pod template cannot change);
# 2. applies everything but the Deployments labelled clipset.io/stage=app: the namespace,
#    configuration, volumes, PostgreSQL/RabbitMQ (or their operator resources), Redis,
#    policies, autoscalers and the Job clipset-migrate, which runs `<service> migrate`
#    (schema migrations, and the service's event queue declared with its bindings);
# 3. waits for the Job (it retries until PostgreSQL and RabbitMQ answer), and stops if it failed;
# 4. applies the rest (the new Deployments) and waits for each rollout.
# The Secrets of k8s/secrets.example.yaml must exist in the namespace beforehand.
set -euo pipefail

usage() { echo "usage: k8s/deploy.sh dev|production" >&2; exit 2; }
(($# == 1)) || usage
overlay="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/overlays/$1"
[[ -f "$overlay/kustomization.yaml" ]] || usage
ns="$(sed -n 's/^namespace: *//p' "$overlay/kustomization.yaml")"
[[ -n "$ns" ]] || { echo "no namespace in $overlay/kustomization.yaml" >&2; exit 1; }

echo "== migrations ($ns)"
kubectl -n "$ns" delete job clipset-migrate --ignore-not-found --wait=true
kubectl apply -k "$overlay" -l 'clipset.io/stage!=app'

deadline=$((SECONDS + 1800))
while :; do
    succeeded="$(kubectl -n "$ns" get job clipset-migrate -o jsonpath='{.status.succeeded}')"
    failed="$(kubectl -n "$ns" get job clipset-migrate -o jsonpath='{.status.conditions[?(@.type=="Failed")].status}')"
    if [[ "$succeeded" == 1 ]]; then break; fi
    if [[ "$failed" == True ]] || ((SECONDS > deadline)); then
        echo "migrations failed; nothing else was changed. Logs:" >&2
        kubectl -n "$ns" logs job/clipset-migrate --all-containers --tail=50 >&2 || true
        exit 1
    fi
    sleep 5
done

echo "== services ($ns)"
kubectl apply -k "$overlay"
for deployment in $(kubectl -n "$ns" get deployments -l clipset.io/stage=app -o name); do
    kubectl -n "$ns" rollout status "$deployment" --timeout=10m
done
