{{/*
Named templates of the BizOSaaS chart: names, labels, images, the Secret's name and env entries
taken from it, probes and the security settings every container shares.
*/}}

{{/* The release's name for its objects: <release>-bizosaas (or <release> when it already says bizosaas). */}}
{{- define "bizosaas.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels of every object. Argument: dict "root" $ "component" name. */}}
{{- define "bizosaas.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{ include "bizosaas.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end -}}

{{/* Labels that select one component's pods. Argument: dict "root" $ "component" name. */}}
{{- define "bizosaas.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* An image reference. Argument: dict "root" $ "name" image name. */}}
{{- define "bizosaas.image" -}}
{{- printf "%s/%s:%s" .root.Values.image.registry .name (default .root.Chart.AppVersion .root.Values.image.tag) -}}
{{- end -}}

{{/* The Secret holding database URLs and secrets: the chart's own, or the one named in values. */}}
{{- define "bizosaas.secretName" -}}
{{- if .Values.secrets.create -}}
{{- include "bizosaas.fullname" . -}}
{{- else -}}
{{- required "secrets.existingSecret must name your Secret when secrets.create is false" .Values.secrets.existingSecret -}}
{{- end -}}
{{- end -}}

{{/* Env entries read from the Secret. Argument: dict "root" $ "keys" list "optional" bool. */}}
{{- define "bizosaas.secretEnv" -}}
{{- range .keys }}
- name: {{ . }}
  valueFrom:
    secretKeyRef:
      name: {{ include "bizosaas.secretName" $.root }}
      key: {{ . }}
      {{- if $.optional }}
      optional: true
      {{- end }}
{{- end }}
{{- end -}}

{{/* Liveness, readiness and start-up probes over HTTP. Argument: dict "live" path "ready" path. */}}
{{- define "bizosaas.probes" -}}
startupProbe:
  httpGet:
    path: {{ .live }}
    port: http
  periodSeconds: 5
  failureThreshold: 36
livenessProbe:
  httpGet:
    path: {{ .live }}
    port: http
  periodSeconds: 10
  timeoutSeconds: 5
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: {{ .ready }}
    port: http
  periodSeconds: 10
  timeoutSeconds: 5
  failureThreshold: 3
{{- end -}}

{{/* Prometheus scrape hints and a checksum that restarts pods when the ConfigMap changes. */}}
{{- define "bizosaas.podAnnotations" -}}
prometheus.io/scrape: "true"
prometheus.io/path: /metrics
prometheus.io/port: {{ .port | quote }}
checksum/config: {{ include (print .root.Template.BasePath "/configmap.yaml") .root | sha256sum }}
{{- end -}}

{{/* Pod-level settings every workload shares. */}}
{{- define "bizosaas.podSpecCommon" -}}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Internal URL of a component's Service. Argument: dict "root" $ "component" name "port" number. */}}
{{- define "bizosaas.serviceUrl" -}}
{{- printf "http://%s-%s:%v" (include "bizosaas.fullname" .root) .component .port -}}
{{- end -}}

{{/* A volume for files: the PersistentVolumeClaim of `persistence`, or an emptyDir. Argument: dict "root" $ "name" volume "persistence" values. */}}
{{- define "bizosaas.filesVolume" -}}
- name: {{ .name }}
  {{- if .persistence.enabled }}
  persistentVolumeClaim:
    claimName: {{ default (printf "%s-%s" (include "bizosaas.fullname" .root) .name) .persistence.existingClaim }}
  {{- else }}
  emptyDir: {}
  {{- end }}
{{- end -}}
