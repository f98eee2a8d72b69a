#include "jobspec.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>

namespace sluice {

bool JobSpec::outputIsZip() const
{
    return output.endsWith(QLatin1String(".zip"), Qt::CaseInsensitive);
}

QString JobSpec::id() const
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(QByteArrayLiteral("sluice-job-v1\n"));
    for (const QString &input : inputs)
        hash.addData(QDir::cleanPath(input).toUtf8() + '\n');
    hash.addData(QByteArrayLiteral("->\n"));
    hash.addData(QDir::cleanPath(output).toUtf8() + '\n');
    hash.addData(QStringLiteral("shard %1/%2").arg(shardIndex).arg(shardCount).toUtf8());
    return QString::fromLatin1(hash.result().toHex().left(32));
}

QJsonObject JobSpec::toJson() const
{
    QJsonObject json;
    json[QStringLiteral("inputs")] = QJsonArray::fromStringList(inputs);
    json[QStringLiteral("output")] = output;
    json[QStringLiteral("recipe")] = recipeToJson(recipe);
    json[QStringLiteral("shard")] = QJsonArray{shardIndex, shardCount};
    json[QStringLiteral("name")] = name;
    json[QStringLiteral("includeRootName")] = includeRootName;
    json[QStringLiteral("includeHidden")] = includeHidden;
    return json;
}

JobSpec JobSpec::fromJson(const QJsonObject &json)
{
    JobSpec spec;
    for (const QJsonValue &v : json.value(QStringLiteral("inputs")).toArray())
        spec.inputs.append(v.toString());
    spec.output = json.value(QStringLiteral("output")).toString();
    spec.recipe = recipeFromJson(json.value(QStringLiteral("recipe")).toObject());
    const QJsonArray shard = json.value(QStringLiteral("shard")).toArray();
    spec.shardIndex = shard.at(0).toInt(0);
    spec.shardCount = qMax(1, shard.at(1).toInt(1));
    spec.name = json.value(QStringLiteral("name")).toString();
    spec.includeRootName = json.value(QStringLiteral("includeRootName")).toBool(true);
    spec.includeHidden = json.value(QStringLiteral("includeHidden")).toBool(false);
    return spec;
}

QJsonObject recipeToJson(const Recipe &r)
{
    QJsonObject limits;
    limits[QStringLiteral("maxPixels")] = double(r.limits.maxPixels);
    limits[QStringLiteral("maxEntryBytes")] = double(r.limits.maxEntryBytes);
    limits[QStringLiteral("maxArchiveBytes")] = double(r.limits.maxArchiveBytes);
    limits[QStringLiteral("maxArchiveEntries")] = double(r.limits.maxArchiveEntries);
    limits[QStringLiteral("maxCompressionRatio")] = r.limits.maxCompressionRatio;
    QJsonObject json;
    json[QStringLiteral("width")] = r.targetSize.width();
    json[QStringLiteral("height")] = r.targetSize.height();
    json[QStringLiteral("mode")] = toString(r.mode);
    json[QStringLiteral("upscale")] = r.upscale;
    json[QStringLiteral("format")] = toString(r.format);
    json[QStringLiteral("quality")] = r.quality;
    json[QStringLiteral("progressive")] = r.progressive;
    json[QStringLiteral("pngCompression")] = r.pngCompression;
    json[QStringLiteral("lossless")] = r.lossless;
    json[QStringLiteral("effort")] = r.effort;
    json[QStringLiteral("sharpen")] = r.sharpen;
    json[QStringLiteral("metadata")] = toString(r.metadata);
    json[QStringLiteral("colour")] = toString(r.colour);
    json[QStringLiteral("name")] = r.nameTemplate;
    json[QStringLiteral("conflict")] = toString(r.conflict);
    json[QStringLiteral("mirrorTree")] = r.mirrorTree;
    json[QStringLiteral("keepDates")] = r.keepDates;
    json[QStringLiteral("limits")] = limits;
    return json;
}

Recipe recipeFromJson(const QJsonObject &json)
{
    Recipe r;
    r.targetSize = QSize(json.value(QStringLiteral("width")).toInt(r.targetSize.width()),
                         json.value(QStringLiteral("height")).toInt(r.targetSize.height()));
    r.mode = parseResizeMode(json.value(QStringLiteral("mode")).toString()).value_or(r.mode);
    r.upscale = json.value(QStringLiteral("upscale")).toBool(r.upscale);
    r.format =
        parseOutputFormat(json.value(QStringLiteral("format")).toString()).value_or(r.format);
    r.quality = json.value(QStringLiteral("quality")).toInt(r.quality);
    r.progressive = json.value(QStringLiteral("progressive")).toBool(r.progressive);
    r.pngCompression = json.value(QStringLiteral("pngCompression")).toInt(r.pngCompression);
    r.lossless = json.value(QStringLiteral("lossless")).toBool(r.lossless);
    r.effort = qBound(0, json.value(QStringLiteral("effort")).toInt(r.effort), 9);
    r.sharpen = json.value(QStringLiteral("sharpen")).toBool(r.sharpen);
    r.metadata =
        parseMetadataPolicy(json.value(QStringLiteral("metadata")).toString()).value_or(r.metadata);
    r.colour =
        parseColourPolicy(json.value(QStringLiteral("colour")).toString()).value_or(r.colour);
    r.nameTemplate = json.value(QStringLiteral("name")).toString(r.nameTemplate);
    r.conflict =
        parseConflictPolicy(json.value(QStringLiteral("conflict")).toString()).value_or(r.conflict);
    r.mirrorTree = json.value(QStringLiteral("mirrorTree")).toBool(r.mirrorTree);
    r.keepDates = json.value(QStringLiteral("keepDates")).toBool(r.keepDates);
    const QJsonObject limits = json.value(QStringLiteral("limits")).toObject();
    auto limit = [&limits](const char *key, qint64 fallback) {
        return qint64(limits.value(QLatin1String(key)).toDouble(double(fallback)));
    };
    r.limits.maxPixels = limit("maxPixels", r.limits.maxPixels);
    r.limits.maxEntryBytes = limit("maxEntryBytes", r.limits.maxEntryBytes);
    r.limits.maxArchiveBytes = limit("maxArchiveBytes", r.limits.maxArchiveBytes);
    r.limits.maxArchiveEntries = limit("maxArchiveEntries", r.limits.maxArchiveEntries);
    r.limits.maxCompressionRatio =
        limits.value(QStringLiteral("maxCompressionRatio")).toDouble(r.limits.maxCompressionRatio);
    return r;
}

QString describeOutputs(const Recipe &r)
{
    return QStringLiteral("%1x%2 %3, %4, quality %5%6, metadata %7, colour %8, name \"%9\", %10%11")
        .arg(r.targetSize.width())
        .arg(r.targetSize.height())
        .arg(toString(r.mode), toString(r.format))
        .arg(r.quality)
        .arg(r.upscale ? QStringLiteral(", upscale") : QString())
        .arg(toString(r.metadata), toString(r.colour), r.nameTemplate, toString(r.conflict))
        .arg(r.mirrorTree ? QString() : QStringLiteral(", flat"));
}

bool sameOutputs(const Recipe &a, const Recipe &b)
{
    return a.fingerprint() == b.fingerprint() && a.nameTemplate == b.nameTemplate &&
           a.conflict == b.conflict && a.mirrorTree == b.mirrorTree;
}

} // namespace sluice
