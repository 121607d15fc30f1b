# e2e/: the real-cluster tier (e2e/cluster): a single-node Kubernetes built from tools/ with
# our images and stand-ins for the third-party ones, the charts and the operator on it.
.PHONY: cluster-images test-cluster

cluster-images: images tools ## Stand-in images for the cluster tier (node add-ons, Postgres, Redis, MinIO, mc)
	npm run --silent cluster-images -w @helpdesk/e2e

# The preflight runs first, so a host that cannot run the tier says so before anything builds.
test-cluster: ## The real-cluster tier: charts, upgrades, HPA, NetworkPolicies and the operator on a kubelet
	e2e/cluster/preflight.sh
	if [ "$${HELPDESK_SKIP_CLUSTER:-}" != 1 ]; then \
	  $(MAKE) --no-print-directory cluster-images && npm run --silent test:cluster -w @helpdesk/e2e; fi

TEST_TARGETS += test-cluster
