// Stage 7 of the image job: metadata. Decides what goes into the output besides its pixels
// and profile: the input's EXIF, XMP, IPTC and comments as --metadata keep|public|none says
// (exivmetadata.h corrects and filters the blocks), and Sluice's stamps (the recipe's
// fingerprint and a hash of the input's relative path, sink.h, which incremental runs read
// back; never the path itself).
//
// Pure: no I/O, any thread.
#pragma once

#include "codec.h"
#include "recipe.h"

#include <QSize>
#include <QString>

namespace sluice {

struct MetadataRequest
{
    MetadataPolicy policy = MetadataPolicy::Keep;
    QSize outputSize;    // the output's pixels, upright
    QString fingerprint; // Recipe::fingerprint()
    QString sourceStamp; // sourceStamp() of the input's relative path
    // The output's pixels are sRGB without a profile (--color srgb): an EXIF or XMP ColorSpace
    // and interoperability index that say Adobe RGB are made to say sRGB, or every reader
    // (Sluice too) would take the converted pixels for Adobe RGB again.
    bool srgbPixels = false;
};

// In: the metadata the decoder handed over. Out: what the encoder embeds. Keep: every block,
// comment and text entry, corrected for the output (Orientation 1, its pixel size, no stale
// thumbnail); Public: the same without what locates or identifies (exivmetadata.h) and with
// only the PNG text keys meant for publishing (Title, Author, Description, Copyright, Creation
// Time, Software, Disclaimer, Warning, Source, Comment); None: nothing of the input. In every
// case the text ends with exactly the two stamps (FingerprintKey, then SourceKey); the input's
// own stamps are dropped. Blocks that cannot be corrected are left out, and `problem` says why.
ImageMetadata prepareMetadata(const ImageMetadata &source, const MetadataRequest &request,
                              QString *problem = nullptr);

// True for a text key that carries a metadata block rather than text (PNG's "XML:com.adobe.xmp",
// ImageMagick's "Raw profile type ..."): the blocks are copied as blocks, never as text.
bool isBlockTextKey(const QString &key);

} // namespace sluice
