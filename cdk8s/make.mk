# cdk8s/: the Kubernetes constructs and the Helm charts generated from them.
.PHONY: charts check-charts

charts: deps ## Generate charts/helpdesk and charts/helpdesk-operator from cdk8s/
	npm run --silent -w @helpdesk/cdk8s charts

check-charts: deps ## Fail when charts/ differs from a fresh generation
	npm run --silent -w @helpdesk/cdk8s charts -- --check

TEST_TARGETS += check-charts
