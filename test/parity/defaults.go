package main

import (
	"context"
	"encoding/json"
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	genericapirequest "k8s.io/apiserver/pkg/endpoints/request"
	"k8s.io/apiserver/pkg/registry/rest"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	api "k8s.io/kubernetes/pkg/apis/core"
	_ "k8s.io/kubernetes/pkg/apis/apps/install"
	_ "k8s.io/kubernetes/pkg/apis/autoscaling/install"
	_ "k8s.io/kubernetes/pkg/apis/core/install"
	"k8s.io/kubernetes/pkg/registry/apps/deployment"
	"k8s.io/kubernetes/pkg/registry/apps/statefulset"
	"k8s.io/kubernetes/pkg/registry/autoscaling/horizontalpodautoscaler"
	"k8s.io/kubernetes/pkg/registry/core/configmap"
	"k8s.io/kubernetes/pkg/registry/core/service"
)

// The create strategies kube-apiserver v1.36.3 runs for the kinds the hook and the operator emit.
// PrepareForCreate is where the server drops fields of disabled feature gates (e.g. StatefulSet
// rollingUpdate.maxUnavailable while MaxUnavailableStatefulSet is off).
var strategies = map[schema.GroupKind]rest.RESTCreateStrategy{
	{Group: "apps", Kind: "StatefulSet"}:                    statefulset.Strategy,
	{Group: "apps", Kind: "Deployment"}:                     deployment.Strategy,
	{Group: "", Kind: "Service"}:                            service.Strategy,
	{Group: "", Kind: "ConfigMap"}:                          configmap.Strategy,
	{Group: "autoscaling", Kind: "HorizontalPodAutoscaler"}: horizontalpodautoscaler.Strategy,
}

// stored is one object as kube-apiserver would store it, or why its create would be refused.
type stored struct {
	Object  map[string]any `json:"object"`
	Invalid string         `json:"invalid,omitempty"`
}

// defaultMode stores each object the way kube-apiserver would: decode with the version's defaults,
// PrepareForCreate and Validate on the internal object, then read back (defaults again). Kinds the
// server does not build in (ServiceMonitor) pass through unchanged.
func defaultMode(items []json.RawMessage) ([]any, error) {
	out := make([]any, 0, len(items))
	for i, raw := range items {
		u := &unstructured.Unstructured{}
		if err := json.Unmarshal(raw, &u.Object); err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
		s, err := store(u)
		if err != nil {
			return nil, fmt.Errorf("item %d (%s %s): %w", i, u.GetKind(), u.GetName(), err)
		}
		out = append(out, s)
	}
	return out, nil
}

func store(u *unstructured.Unstructured) (*stored, error) {
	gvk := u.GroupVersionKind()
	strategy, known := strategies[gvk.GroupKind()]
	if !known || !legacyscheme.Scheme.Recognizes(gvk) {
		return &stored{Object: u.Object}, nil
	}
	scheme := legacyscheme.Scheme
	versioned, err := scheme.New(gvk)
	if err != nil {
		return nil, err
	}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructuredWithValidation(u.Object, versioned, true); err != nil {
		return nil, err
	}
	scheme.Default(versioned)
	internal, err := scheme.ConvertToVersion(versioned, schema.GroupVersion{Group: gvk.Group, Version: runtime.APIVersionInternal})
	if err != nil {
		return nil, err
	}
	ctx := genericapirequest.WithNamespace(context.Background(), u.GetNamespace())
	strategy.PrepareForCreate(ctx, internal)
	var invalid string
	if errs := strategy.Validate(ctx, allocated(internal)); len(errs) > 0 {
		invalid = errs.ToAggregate().Error()
	}
	back, err := scheme.ConvertToVersion(internal, gvk.GroupVersion())
	if err != nil {
		return nil, err
	}
	scheme.Default(back)
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(back)
	if err != nil {
		return nil, err
	}
	m["apiVersion"], m["kind"] = gvk.GroupVersion().String(), gvk.Kind
	return &stored{Object: m, Invalid: invalid}, nil
}

// allocated is what the Service REST storage hands to validation after it allocates cluster IPs
// (it does that before the strategy validates); other kinds are validated as they are.
func allocated(obj runtime.Object) runtime.Object {
	svc, ok := obj.(*api.Service)
	if !ok || svc.Spec.Type == api.ServiceTypeExternalName {
		return obj
	}
	svc = svc.DeepCopy()
	if svc.Spec.ClusterIP == "" {
		svc.Spec.ClusterIP = "10.96.0.10"
	}
	svc.Spec.ClusterIPs = []string{svc.Spec.ClusterIP}
	if svc.Spec.ClusterIP != api.ClusterIPNone {
		svc.Spec.IPFamilies = []api.IPFamily{api.IPv4Protocol}
	}
	single := api.IPFamilyPolicySingleStack
	svc.Spec.IPFamilyPolicy = &single
	return svc
}
