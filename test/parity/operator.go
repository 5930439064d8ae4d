package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	jsonpatch "github.com/evanphx/json-patch/v5"
	admissionv1 "k8s.io/api/admission/v1"
	apiextensionsinternal "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	schemaobjectmeta "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/objectmeta"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apiextensions-apiserver/pkg/registry/customresource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/validation/field"
	genericapirequest "k8s.io/apiserver/pkg/endpoints/request"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/apiutil"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"
	"sigs.k8s.io/yaml"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"

	risingwavev1alpha1 "github.com/risingwavelabs/risingwave-operator/apis/risingwave/v1alpha1"
	"github.com/risingwavelabs/risingwave-operator/pkg/factory"
	"github.com/risingwavelabs/risingwave-operator/pkg/features"
	"github.com/risingwavelabs/risingwave-operator/pkg/object"
	rwwebhook "github.com/risingwavelabs/risingwave-operator/pkg/webhook"
)

// The operator's own build stamps this into the operator-version label; any value will do here.
const operatorVersion = "v0.17.2"

type crdPipeline struct {
	structural *structuralschema.Structural
	strategy   interface {
		Validate(ctx context.Context, obj runtime.Object) field.ErrorList
	}
	scheme    *runtime.Scheme
	defaulter *admission.Webhook
	validator *admission.Webhook
}

func newCRDPipeline(crdFile string) (*crdPipeline, error) {
	raw, err := os.ReadFile(crdFile)
	if err != nil {
		return nil, err
	}
	crd := &apiextensionsv1.CustomResourceDefinition{}
	if err := yaml.UnmarshalStrict(raw, crd); err != nil {
		return nil, fmt.Errorf("%s: %w", crdFile, err)
	}
	var version *apiextensionsv1.CustomResourceDefinitionVersion
	for i := range crd.Spec.Versions {
		if crd.Spec.Versions[i].Name == "v1alpha1" {
			version = &crd.Spec.Versions[i]
		}
	}
	if version == nil || version.Schema == nil {
		return nil, fmt.Errorf("%s: no v1alpha1 schema", crdFile)
	}
	// The same steps kube-apiserver's crdHandler takes to serve a version (customresource_handler.go).
	internalValidation := &apiextensionsinternal.CustomResourceValidation{}
	if err := apiextensionsv1.Convert_v1_CustomResourceValidation_To_apiextensions_CustomResourceValidation(version.Schema, internalValidation, nil); err != nil {
		return nil, err
	}
	s, err := structuralschema.NewStructural(internalValidation.OpenAPIV3Schema)
	if err != nil {
		return nil, err
	}
	s = s.DeepCopy()
	if err := structuraldefaulting.PruneDefaults(s); err != nil {
		return nil, err
	}
	validator, _, err := apiservervalidation.NewSchemaValidator(internalValidation.OpenAPIV3Schema)
	if err != nil {
		return nil, err
	}
	var statusValidator apiservervalidation.SchemaValidator
	if st, ok := internalValidation.OpenAPIV3Schema.Properties["status"]; ok {
		if statusValidator, _, err = apiservervalidation.NewSchemaValidator(&st); err != nil {
			return nil, err
		}
	}
	var statusSpec *apiextensionsinternal.CustomResourceSubresourceStatus
	if version.Subresources != nil && version.Subresources.Status != nil {
		statusSpec = &apiextensionsinternal.CustomResourceSubresourceStatus{}
	}
	kind := schema.GroupVersionKind{Group: crd.Spec.Group, Version: version.Name, Kind: crd.Spec.Names.Kind}
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{clientgoscheme.AddToScheme, risingwavev1alpha1.AddToScheme, monitoringv1.AddToScheme} {
		if err := add(scheme); err != nil {
			return nil, err
		}
	}
	parityScheme = scheme
	strategy := customresource.NewStrategy(unstructuredTyper{}, crd.Spec.Scope == apiextensionsv1.NamespaceScoped, kind,
		validator, statusValidator, s, statusSpec, nil, version.SelectableFields)
	// The operator's default feature gates (its manager starts with an empty --feature-gates).
	features.InitFeatureManager(features.SupportedFeatureList, "")
	// cmd/manager registers the webhooks with OpenKruise availability from its feature gate, off by default.
	openKruise := features.GetFeatureManager().IsFeatureEnabled(features.EnableOpenKruiseFeature)
	return &crdPipeline{
		structural: s,
		strategy:   strategy,
		scheme:     scheme,
		defaulter:  admission.WithDefaulter(scheme, rwwebhook.NewRisingWaveMutatingWebhook()),
		validator:  admission.WithValidator(scheme, rwwebhook.NewRisingWaveValidatingWebhook(openKruise)),
	}, nil
}

var parityScheme *runtime.Scheme

type unstructuredTyper struct{}

func (unstructuredTyper) ObjectKinds(obj runtime.Object) ([]schema.GroupVersionKind, bool, error) {
	return []schema.GroupVersionKind{obj.GetObjectKind().GroupVersionKind()}, false, nil
}
func (unstructuredTyper) Recognizes(schema.GroupVersionKind) bool { return true }

type operatorResult struct {
	Objects  []any  `json:"objects,omitempty"`
	Rejected string `json:"rejected,omitempty"`
	// Stage says which step refused it: "schema" (CRD OpenAPI/CEL) or "webhook" (validating webhook).
	Stage string `json:"stage,omitempty"`
}

func operatorMode(crdFile string, items []json.RawMessage) ([]any, error) {
	p, err := newCRDPipeline(crdFile)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(items))
	for i, raw := range items {
		r, err := p.run(raw)
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// run follows a create request through kube-apiserver and the operator: decode (prune, coerce
// metadata, default), mutating admission (then defaulting again), strategy PrepareForCreate and
// Validate (OpenAPI schema, list invariants, CEL), validating admission, then the controller's sync.
func (p *crdPipeline) run(raw json.RawMessage) (*operatorResult, error) {
	u := &unstructured.Unstructured{}
	if err := json.Unmarshal(raw, &u.Object); err != nil {
		return nil, err
	}
	if u.GetNamespace() == "" {
		u.SetNamespace("default")
	}
	p.decode(u)

	ctx := genericapirequest.WithNamespace(context.Background(), u.GetNamespace())
	body, err := json.Marshal(u.Object)
	if err != nil {
		return nil, err
	}
	resp := p.defaulter.Handle(ctx, p.request(u, body))
	if !resp.Allowed {
		return &operatorResult{Rejected: resp.Result.Message, Stage: "webhook"}, nil
	}
	if len(resp.Patches) > 0 {
		patchJSON, err := json.Marshal(resp.Patches)
		if err != nil {
			return nil, err
		}
		patch, err := jsonpatch.DecodePatch(patchJSON)
		if err != nil {
			return nil, err
		}
		if body, err = patch.Apply(body); err != nil {
			return nil, err
		}
		u = &unstructured.Unstructured{}
		if err := json.Unmarshal(body, &u.Object); err != nil {
			return nil, err
		}
		structuraldefaulting.Default(u.Object, p.structural)
	}

	// PrepareForCreate: the status subresource drops status on create, generation starts at 1.
	delete(u.Object, "status")
	u.SetGeneration(1)
	if errs := p.strategy.Validate(ctx, u); len(errs) > 0 {
		return &operatorResult{Rejected: errs.ToAggregate().Error(), Stage: "schema"}, nil
	}
	if body, err = json.Marshal(u.Object); err != nil {
		return nil, err
	}
	resp = p.validator.Handle(ctx, p.request(u, body))
	if !resp.Allowed {
		return &operatorResult{Rejected: resp.Result.Message, Stage: "webhook"}, nil
	}

	rw := &risingwavev1alpha1.RisingWave{}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, rw); err != nil {
		return nil, err
	}
	rw.UID = types.UID("00000000-0000-0000-0000-000000000000")
	objs, err := p.sync(rw)
	if err != nil {
		return nil, err
	}
	return &operatorResult{Objects: objs}, nil
}

// decode is what the API server's CR decoder does to a request body before anything else sees it.
func (p *crdPipeline) decode(u *unstructured.Unstructured) {
	kind, apiVersion := u.GetKind(), u.GetAPIVersion()
	objectMeta, _, _, _ := schemaobjectmeta.GetObjectMetaWithOptions(u.Object, schemaobjectmeta.ObjectMetaOptions{DropMalformedFields: true})
	structuralpruning.PruneWithOptions(u.Object, p.structural, true, structuralschema.UnknownFieldPathOptions{})
	structuraldefaulting.PruneNonNullableNullsWithoutDefaults(u.Object, p.structural)
	_, _ = schemaobjectmeta.CoerceWithOptions(nil, u.Object, p.structural, false, schemaobjectmeta.CoerceOptions{DropInvalidFields: true})
	u.SetKind(kind)
	u.SetAPIVersion(apiVersion)
	if objectMeta != nil {
		_ = schemaobjectmeta.SetObjectMeta(u.Object, objectMeta)
	}
	structuraldefaulting.Default(u.Object, p.structural)
}

func (p *crdPipeline) request(u *unstructured.Unstructured, body []byte) admission.Request {
	return admission.Request{AdmissionRequest: admissionv1.AdmissionRequest{
		UID:       "parity",
		Operation: admissionv1.Create,
		Kind:      metaGVK(u),
		Name:      u.GetName(),
		Namespace: u.GetNamespace(),
		Object:    runtime.RawExtension{Raw: body},
	}}
}

// sync makes the factory calls the controller's first sync makes for a new RisingWave when OpenKruise
// is unavailable (pkg/manager/risingwave_controller_manager_impl.go, Sync* actions).
func (p *crdPipeline) sync(rw *risingwavev1alpha1.RisingWave) ([]any, error) {
	// SyncInternalStatus runs before the first sync of the children (pkg/controller).
	if rw.Status.Internal.StateStoreRootPath == "" {
		rw.Status.Internal.StateStoreRootPath = object.NewRisingWaveReader(rw).StateStoreRootPath()
	}
	f := factory.NewRisingWaveObjectFactory(rw, p.scheme, operatorVersion)
	standalone := ptr.Deref(rw.Spec.EnableStandaloneMode, false)
	frontendSTS := ptr.Deref(rw.Spec.EnableFrontendStatefulSet, false)
	var objs []client.Object
	objs = append(objs, f.NewConfigConfigMap(""))
	if !standalone {
		objs = append(objs, f.NewMetaService(), f.NewComputeService(), f.NewCompactorService())
	}
	objs = append(objs, f.NewFrontendService())
	if !standalone && frontendSTS {
		objs = append(objs, f.NewFrontendHeadlessService())
	}
	if standalone {
		objs = append(objs, f.NewStandaloneService(), f.NewStandaloneStatefulSet())
	} else {
		for _, g := range rw.Spec.Components.Meta.NodeGroups {
			objs = append(objs, f.NewMetaStatefulSet(g.Name))
		}
		for _, g := range rw.Spec.Components.Compute.NodeGroups {
			objs = append(objs, f.NewComputeStatefulSet(g.Name))
		}
		for _, g := range rw.Spec.Components.Compactor.NodeGroups {
			objs = append(objs, f.NewCompactorDeployment(g.Name))
		}
		for _, g := range rw.Spec.Components.Frontend.NodeGroups {
			if frontendSTS {
				objs = append(objs, f.NewFrontendStatefulSet(g.Name))
			} else {
				objs = append(objs, f.NewFrontendDeployment(g.Name))
			}
		}
	}
	if ptr.Deref(rw.Spec.EnableDefaultServiceMonitor, false) {
		objs = append(objs, f.NewServiceMonitor())
	}
	out := make([]any, 0, len(objs))
	for _, o := range objs {
		m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o)
		if err != nil {
			return nil, err
		}
		gvk, err := gvkFor(o)
		if err != nil {
			return nil, err
		}
		m["apiVersion"], m["kind"] = gvk.GroupVersion().String(), gvk.Kind
		out = append(out, m)
	}
	return out, nil
}

func gvkFor(o client.Object) (schema.GroupVersionKind, error) {
	return apiutil.GVKForObject(o, parityScheme)
}

func metaGVK(u *unstructured.Unstructured) metav1.GroupVersionKind {
	gvk := u.GroupVersionKind()
	return metav1.GroupVersionKind{Group: gvk.Group, Version: gvk.Version, Kind: gvk.Kind}
}
