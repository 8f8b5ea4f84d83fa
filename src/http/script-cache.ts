/** Cache policies for the Qwidget's scripts (one place: the routes set them, the tests check them). */

/** The loader's URL never changes (libraries paste it once): cache briefly, revalidate in the background. */
export const LOADER_CACHE = "public, max-age=300, stale-while-revalidate=86400";
/** The widget bundle is requested by content hash (`?v=`), so a versioned URL never changes. */
export const VERSIONED_CACHE = "public, max-age=31536000, immutable";
