// Stage 7 of the image job: metadata. Decides what goes into the output besides its pixels
// and profile: the input's EXIF, XMP and IPTC blocks, and Sluice's stamps (the recipe's
// fingerprint and a hash of the input's relative path, sink.h, which incremental runs read
// back; never the path itself).
//
// For now the blocks pass through unchanged (Qt's readers hand over none, and Qt's writers
// embed none). Exiv2 plugs in here: --metadata keep|public|none, Orientation reset to 1 (the
// decoder has applied it), pixel dimensions updated, stale thumbnails removed. Until then an
// encoder that embeds EXIF would write a stale orientation.
//
// Pure: no I/O, any thread.
#pragma once

#include "codec.h"

#include <QString>

namespace sluice {

// In: the metadata the decoder handed over, the recipe's fingerprint, sourceStamp() of the
// input. Out: what the encoder embeds; text holds exactly the two stamps (FingerprintKey, then
// SourceKey).
ImageMetadata prepareMetadata(ImageMetadata source, const QString &fingerprint,
                              const QString &sourceStamp);

} // namespace sluice
