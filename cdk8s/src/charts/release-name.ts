import { MAX_INSTANCE_NAME_LENGTH } from '../defaults.ts'

/** A template line that stops a render whose release name cannot prefix object names. */
export const RELEASE_NAME_CHECK = [
  `{{- if or (gt (len .Release.Name) ${MAX_INSTANCE_NAME_LENGTH}) (not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" .Release.Name)) }}`,
  `{{- fail (printf "release name %q must be a DNS label of at most ${MAX_INSTANCE_NAME_LENGTH} characters: it prefixes every object name" .Release.Name) }}`,
  '{{- end }}',
].join('\n')
