/**
 * Camera permissions in Keycloak, through keycloak-admin-client as the confidential client {@code
 * camflow-services}: the roles {@code camera:<id>:live|dvr|publish} of client {@code camflow}, the
 * groups {@code camera-<id>-live|dvr|publish} that carry them, and who holds them
 * (docs/permissions.md). Provisioning a camera (its roles, groups and the admin permissions over
 * them) takes a second, powerful account ({@code camflow-provisioner}) that only ingest may hold.
 *
 * <p>{@link io.camflow.keycloak.admin.CameraAccess} is the one entry point; its failures are {@link
 * io.camflow.keycloak.admin.AdminException}s whose type says what the caller should answer (unknown
 * user/group/camera: 404; Keycloak unreachable or refusing the login: 503; outside the account's
 * admin permissions: {@link io.camflow.keycloak.admin.NotPermittedException}).
 */
package io.camflow.keycloak.admin;
