# Container images (images/): the api, web and operator images built with buildah from local
# base images (no registry can be pulled here), and tests that run them with podman.
.PHONY: images-tools images test-images

images-tools: ## buildah, podman and debootstrap, configured for this machine
	images/scripts/setup-containers.sh

images: images-tools deps ## Build ghcr.io/helpdesk/{api,web,operator} with buildah
	images/scripts/build.sh

test-images: images ## Build the images, then run them against real Postgres, Redis, S3, kube-apiserver
	npm run --silent test:images -w @helpdesk/images

# `make test` runs the image tests wherever buildah is or can be installed (a Debian-like host).
ifneq ($(shell command -v buildah || command -v apt-get),)
TEST_TARGETS += test-images
endif
