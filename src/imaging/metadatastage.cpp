#include "metadatastage.h"

#include "sink.h"

namespace sluice {

ImageMetadata prepareMetadata(ImageMetadata source, const QString &fingerprint,
                              const QString &sourceStamp)
{
    ImageMetadata output = std::move(source);
    output.text = {{QLatin1String(FingerprintKey), fingerprint},
                   {QLatin1String(SourceKey), sourceStamp}};
    return output;
}

} // namespace sluice
