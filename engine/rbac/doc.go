// Package rbac resolves the RBAC policy a set of manifests grants: Roles,
// ClusterRoles (with aggregation), RoleBindings and ClusterRoleBindings,
// together with the ClusterRoles and bindings every kube-apiserver creates
// at start-up. It answers who can do what, and whether a subject can, the
// way the API server's RBAC authorizer decides; rules use it to judge
// bindings, and `kubegate rbac` prints its answers.
package rbac
