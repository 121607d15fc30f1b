# api/: the OpenAPI document held to Redocly's recommended rules, and the standing fuzz tier
# (schemathesis against the real API on Postgres, Redis and MinIO; api/README.md "Fuzzing").
.PHONY: lint-openapi fuzz

lint-openapi: deps ## The OpenAPI document against Redocly's recommended rules (no warnings)
	npm run --silent -w @helpdesk/api lint:openapi

fuzz: tools deps ## Schemathesis as admin, agent, customer and anonymous; any finding fails (≤ 6 min)
	npm run --silent -w @helpdesk/api fuzz

TEST_TARGETS += lint-openapi fuzz
