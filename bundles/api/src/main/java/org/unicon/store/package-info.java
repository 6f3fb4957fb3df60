/**
 * The image store extension point. A store turns an {@code Image} (Docker or appc) into local,
 * verified, content-addressed layers (base first) plus the image's runtime config. Stores are
 * services that say which image type they serve with {@code unicon.store.type}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.unicon.store;
