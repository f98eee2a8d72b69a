#include "metadatastage.h"

#include "exivmetadata.h"
#include "sink.h"

namespace sluice {

namespace {

// The PNG specification's own keywords, minus none: what a photographer writes to be read.
bool publicTextKey(const QString &key)
{
    static const QStringList keys = {QStringLiteral("Title"),         QStringLiteral("Author"),
                                     QStringLiteral("Description"),   QStringLiteral("Copyright"),
                                     QStringLiteral("Creation Time"), QStringLiteral("Software"),
                                     QStringLiteral("Disclaimer"),    QStringLiteral("Warning"),
                                     QStringLiteral("Source"),        QStringLiteral("Comment")};
    return keys.contains(key);
}

bool isStamp(const QString &key)
{
    return key == QLatin1String(FingerprintKey) || key == QLatin1String(SourceKey);
}

} // namespace

bool isBlockTextKey(const QString &key)
{
    return key.startsWith(QLatin1String("XML:com.adobe.xmp")) ||
           key.startsWith(QLatin1String("Raw profile type"), Qt::CaseInsensitive);
}

ImageMetadata prepareMetadata(const ImageMetadata &source, const MetadataRequest &request,
                              QString *problem)
{
    ImageMetadata output;
    if (request.policy != MetadataPolicy::None) {
        output = exiv2::correctedBlocks(source, request.policy, request.outputSize, problem,
                                        request.srgbPixels);
        output.text.clear();
        for (const auto &entry : source.text) {
            if (isStamp(entry.first) || isBlockTextKey(entry.first))
                continue;
            if (request.policy == MetadataPolicy::Keep || publicTextKey(entry.first))
                output.text.append(entry);
        }
    }
    output.text.append({QLatin1String(FingerprintKey), request.fingerprint});
    output.text.append({QLatin1String(SourceKey), request.sourceStamp});
    return output;
}

} // namespace sluice
