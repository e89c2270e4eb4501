package benchcorpus

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"text/template"
)

// kinds and their weights: roughly what a real cluster's manifests hold.
var kinds = []struct {
	tmpl   string
	weight int
}{
	{"deployment", 20}, {"statefulset", 4}, {"daemonset", 2}, {"job", 3}, {"cronjob", 3}, {"pod", 3},
	{"service", 18}, {"configmap", 14}, {"secret", 6}, {"ingress", 6}, {"serviceaccount", 8},
	{"role", 4}, {"rolebinding", 4}, {"custom", 5},
}

// params is what one templated object varies in.
type params struct {
	Name, Namespace, App, Image string
	Replicas, Port              int
	Probes, Resources, Broken   bool
	LimitMem, ReqMem            string
}

const podSpec = `{{define "containers"}}      containers:
        - name: {{.App}}
          image: {{.Image}}
          ports:
            - name: http
              containerPort: {{.Port}}
          env:
            - name: APP_NAME
              value: {{.App}}
            - name: LOG_LEVEL
              value: info
{{- if .Probes}}
          readinessProbe:
            httpGet:
              path: /ready
              port: http
            periodSeconds: 5
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 10
            failureThreshold: 3
{{- end}}
{{- if .Resources}}
          resources:
            requests:
              cpu: 100m
              memory: {{.ReqMem}}
            limits:
              memory: {{.LimitMem}}
{{- end}}
{{- if .Broken}}
          imagePullPolice: Always
{{- end}}
{{end}}`

var templates = template.Must(template.New("corpus").Parse(podSpec + `
{{define "deployment"}}apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{.Name}}
  namespace: {{.Namespace}}
  labels:
    app.kubernetes.io/name: {{.App}}
    app.kubernetes.io/part-of: shop
spec:
  replicas: {{.Replicas}}
  selector:
    matchLabels:
      app.kubernetes.io/name: {{.App}}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {{.App}}
    spec:
      serviceAccountName: {{.App}}
{{template "containers" .}}{{end}}
{{define "statefulset"}}apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {{.Name}}
  namespace: {{.Namespace}}
spec:
  serviceName: {{.Name}}
  replicas: {{.Replicas}}
  selector:
    matchLabels:
      app: {{.App}}
  template:
    metadata:
      labels:
        app: {{.App}}
    spec:
{{template "containers" .}}  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 10Gi
{{end}}
{{define "daemonset"}}apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: {{.Name}}
  namespace: {{.Namespace}}
spec:
  selector:
    matchLabels:
      app: {{.App}}
  template:
    metadata:
      labels:
        app: {{.App}}
    spec:
      tolerations:
        - operator: Exists
{{template "containers" .}}{{end}}
{{define "job"}}apiVersion: batch/v1
kind: Job
metadata:
  name: {{.Name}}
  namespace: {{.Namespace}}
spec:
  backoffLimit: 3
  ttlSecondsAfterFinished: 3600
  template:
    spec:
{{- if not .Broken}}
      restartPolicy: OnFailure
{{- end}}
{{template "containers" .}}{{end}}
{{define "cronjob"}}apiVersion: batch/v1
kind: CronJob
metadata:
  name: {{.Name}}
  namespace: {{.Namespace}}
spec:
  schedule: "*/15 * * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: {{.App}}
              image: {{.Image}}
              args: ["--once"]
{{end}}
{{define "pod"}}apiVersion: v1
kind: Pod
metadata:
  name: {{.Name}}
  namespace: {{.Namespace}}
spec:
{{template "containers" .}}{{end}}
{{define "service"}}apiVersion: v1
kind: Service
metadata:
  name: {{.Name}}
  namespace: {{.Namespace}}
spec:
  selector:
    app.kubernetes.io/name: {{.App}}
  ports:
    - name: http
      port: 80
      targetPort: {{.Port}}
{{end}}
{{define "configmap"}}apiVersion: v1
kind: ConfigMap
metadata:
  name: {{.Name}}
  namespace: {{.Namespace}}
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "search,recommendations"
  app.properties: |
    server.port={{.Port}}
    cache.ttl=300
{{end}}
{{define "secret"}}apiVersion: v1
kind: Secret
metadata:
  name: {{.Name}}
  namespace: {{.Namespace}}
type: Opaque
stringData:
  username: {{.App}}
  password: not-a-real-password
{{end}}
{{define "ingress"}}apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{.Name}}
  namespace: {{.Namespace}}
spec:
  ingressClassName: nginx
  rules:
    - host: {{.App}}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: {{.App}}
                port:
                  number: 80
{{end}}
{{define "serviceaccount"}}apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{.Name}}
  namespace: {{.Namespace}}
automountServiceAccountToken: false
{{end}}
{{define "role"}}apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{.Name}}
  namespace: {{.Namespace}}
rules:
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get, list, watch]
{{end}}
{{define "rolebinding"}}apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{.Name}}
  namespace: {{.Namespace}}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{.App}}
subjects:
  - kind: ServiceAccount
    name: {{.App}}
    namespace: {{.Namespace}}
{{end}}
{{define "custom"}}apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{.Name}}
  namespace: {{.Namespace}}
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: {{.App}}
  endpoints:
    - port: http
      interval: 30s
{{end}}`))

// Generate returns a multi-document YAML stream of n objects, the same for
// the same seed.
func Generate(n int, seed int64) []byte {
	var buf bytes.Buffer
	for _, doc := range documents(n, seed) {
		buf.WriteString("---\n")
		buf.Write(doc)
	}
	return buf.Bytes()
}

// WriteFiles writes the corpus of n objects into dir as files of about 100
// objects each (corpus-000.yaml, ...), for CLI runs and side-by-side
// comparisons with other tools.
func WriteFiles(dir string, n int, seed int64) error {
	const perFile = 100
	docs := documents(n, seed)
	for i := 0; i < len(docs); i += perFile {
		var buf bytes.Buffer
		for _, d := range docs[i:min(i+perFile, len(docs))] {
			buf.WriteString("---\n")
			buf.Write(d)
		}
		name := filepath.Join(dir, fmt.Sprintf("corpus-%03d.yaml", i/perFile))
		if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("write corpus: %w", err)
		}
	}
	return nil
}

func documents(n int, seed int64) [][]byte {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x6b756265676174)) // "kubegat"
	total := 0
	for _, k := range kinds {
		total += k.weight
	}
	namespaces := []string{"shop", "payments", "search", "platform", "data"}
	images := []string{"registry.example.com/shop/web:1.8.2", "nginx:1.27", "postgres:16.4", "redis:7.4", "registry.example.com/jobs/runner:3.1.0"}
	mem := []string{"64Mi", "128Mi", "256Mi", "512Mi", "1Gi"}
	docs := make([][]byte, 0, n)
	for i := range n {
		pick := rng.IntN(total)
		kind := kinds[0].tmpl
		for _, k := range kinds {
			if pick < k.weight {
				kind = k.tmpl
				break
			}
			pick -= k.weight
		}
		app := fmt.Sprintf("app-%d", i/4)
		m := rng.IntN(len(mem))
		p := params{
			Name:      fmt.Sprintf("%s-%d", app, i),
			Namespace: namespaces[rng.IntN(len(namespaces))],
			App:       app,
			Image:     images[rng.IntN(len(images))],
			Replicas:  1 + rng.IntN(5),
			Port:      8000 + rng.IntN(100),
			Probes:    rng.IntN(10) < 7,
			Resources: rng.IntN(10) < 8,
			Broken:    rng.IntN(50) == 0,
			ReqMem:    mem[max(0, m-rng.IntN(2))],
			LimitMem:  mem[m],
		}
		var buf bytes.Buffer
		if err := templates.ExecuteTemplate(&buf, kind, p); err != nil {
			// The templates are fixed and tested; a failure is a bug here.
			panic(fmt.Sprintf("benchcorpus: render %s: %v", kind, err))
		}
		docs = append(docs, buf.Bytes())
	}
	return docs
}
