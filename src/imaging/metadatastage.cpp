#include "metadatastage.h"

#include "sink.h"

namespace sluice {

ImageMetadata prepareMetadata(ImageMetadata source, const QString &fingerprint,
                              const QString &sourcePath)
{
    ImageMetadata output = std::move(source);
    output.text = {{QLatin1String(FingerprintKey), fingerprint},
                   {QLatin1String(SourceKey), sourcePath}};
    return output;
}

} // namespace sluice
