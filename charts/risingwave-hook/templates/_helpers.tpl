{{/* Fixed names, as in the kustomize package: the CompositeController is cluster-wide, so one hook per cluster. */}}
{{- define "rwhook.name" -}}risingwave-hook{{- end -}}

{{- define "rwhook.selectorLabels" -}}
app.kubernetes.io/name: risingwave-hook
app.kubernetes.io/component: hook
{{- end -}}

{{/* What the kustomize base puts on every object, with Helm as the manager, plus the chart label. */}}
{{- define "rwhook.commonLabels" -}}
app.kubernetes.io/part-of: risingwave-metacontroller
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{- define "rwhook.labels" -}}
{{ include "rwhook.selectorLabels" . }}
{{ include "rwhook.commonLabels" . }}
{{- end -}}

{{- define "rwhook.image" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}:{{ $tag }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ $tag }}
{{- end -}}
{{- end -}}

{{- define "rwhook.authSecret" -}}
{{- .Values.auth.existingSecret | default "risingwave-hook-auth" -}}
{{- end -}}

{{/* One webhook of the CompositeController: the hook's Service, with the token when auth is on. */}}
{{- define "rwhook.webhook" -}}
path: {{ .path }}
service:
  name: risingwave-hook
  namespace: {{ .root.Release.Namespace }}
  port: 80
  protocol: {{ ternary "https" "http" .root.Values.tls.enabled }}
timeout: 5s
{{- if .root.Values.auth.enabled }}
authorization:
  type: Bearer
  secretRef:
    name: {{ include "rwhook.authSecret" .root }}
    namespace: {{ .root.Release.Namespace }}
    key: token
{{- end }}
{{- end -}}
