#include "recipe.h"

#include <QCryptographicHash>
#include <QImageReader>
#include <QRegularExpression>
#include <limits>

namespace sluice {

namespace {

template<typename T>
std::optional<T> fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return std::nullopt;
}

} // namespace

QString Recipe::fingerprint() const
{
    // Versioned so that a change in what we hash (or in how we encode) can invalidate old
    // outputs on purpose. Only output-affecting settings go in. v2: outputs carry the input's
    // metadata (v1 outputs carried none); v3: pixels in sRGB (v2 kept the input's profile).
    const QString canonical =
        QStringLiteral("sluice-recipe-v3;size=%1x%2;mode=%3;upscale=%4;"
                       "format=%5;quality=%6;progressive=%7;metadata=%8;colour=%9")
            .arg(targetSize.width())
            .arg(targetSize.height())
            .arg(toString(mode))
            .arg(upscale ? 1 : 0)
            .arg(toString(format))
            .arg(quality)
            .arg(progressive ? 1 : 0)
            .arg(toString(metadata), toString(colour)) +
        (pngCompression != Recipe().pngCompression ? QStringLiteral(";pngc=%1").arg(pngCompression)
                                                   : QString()) +
        (lossless ? QStringLiteral(";lossless=1") : QString()) +
        (effort != 0 ? QStringLiteral(";effort=%1").arg(effort) : QString()) +
        (sharpen ? QStringLiteral(";sharpen=1") : QString());
    const QByteArray digest =
        QCryptographicHash::hash(canonical.toUtf8(), QCryptographicHash::Sha1).toHex();
    return QString::fromLatin1(digest.left(16));
}

std::optional<QSize> parseSize(const QString &text, QString *error)
{
    static const QRegularExpression pattern(
        QStringLiteral("^\\s*(\\d{1,6})(?:\\s*[xX*]\\s*(\\d{1,6}))?\\s*$"));
    const auto match = pattern.match(text);
    if (!match.hasMatch())
        return fail<QSize>(error, QStringLiteral("size \"%1\" is not N or WxH (for example 256 "
                                                 "or 1600x1200)")
                                      .arg(text));
    const int w = match.captured(1).toInt();
    const int h = match.captured(2).isEmpty() ? w : match.captured(2).toInt();
    if (w < 1 || h < 1 || w > 65535 || h > 65535)
        return fail<QSize>(error,
                           QStringLiteral("size \"%1\" is out of range: each side must be 1 to "
                                          "65535 pixels")
                               .arg(text));
    return QSize(w, h);
}

std::optional<ResizeMode> parseResizeMode(const QString &text, QString *error)
{
    const QString t = text.trimmed().toLower();
    if (t == u"fit")
        return ResizeMode::Fit;
    if (t == u"fill" || t == u"crop")
        return ResizeMode::Fill;
    if (t == u"exact" || t == u"stretch")
        return ResizeMode::Exact;
    if (t == u"long-edge" || t == u"long" || t == u"longedge")
        return ResizeMode::LongEdge;
    if (t == u"short-edge" || t == u"short" || t == u"shortedge")
        return ResizeMode::ShortEdge;
    if (t == u"percent" || t == u"%")
        return ResizeMode::Percent;
    return fail<ResizeMode>(error, QStringLiteral("unknown resize mode \"%1\" (use fit, fill, "
                                                  "exact, long-edge, short-edge or percent)")
                                       .arg(text));
}

std::optional<OutputFormat> parseOutputFormat(const QString &text, QString *error)
{
    const QString t = text.trimmed().toLower();
    if (t == u"keep" || t == u"same")
        return OutputFormat::Keep;
    if (t == u"jpg" || t == u"jpeg")
        return OutputFormat::Jpeg;
    if (t == u"png")
        return OutputFormat::Png;
    if (t == u"webp")
        return OutputFormat::Webp;
    if (t == u"avif")
        return OutputFormat::Avif;
    if (t == u"jxl" || t == u"jpegxl" || t == u"jpeg-xl")
        return OutputFormat::Jxl;
    return fail<OutputFormat>(
        error,
        QStringLiteral("unknown format \"%1\" (use keep, jpg, png, webp, avif or jxl)").arg(text));
}

std::optional<ConflictPolicy> parseConflictPolicy(const QString &text, QString *error)
{
    const QString t = text.trimmed().toLower();
    if (t == u"rename")
        return ConflictPolicy::Rename;
    if (t == u"overwrite")
        return ConflictPolicy::Overwrite;
    if (t == u"skip")
        return ConflictPolicy::Skip;
    return fail<ConflictPolicy>(
        error,
        QStringLiteral("unknown conflict policy \"%1\" (use rename, overwrite or skip)").arg(text));
}

std::optional<MetadataPolicy> parseMetadataPolicy(const QString &text, QString *error)
{
    const QString t = text.trimmed().toLower();
    if (t == u"keep" || t == u"all")
        return MetadataPolicy::Keep;
    if (t == u"public")
        return MetadataPolicy::Public;
    if (t == u"none" || t == u"strip")
        return MetadataPolicy::None;
    return fail<MetadataPolicy>(
        error,
        QStringLiteral("unknown metadata choice \"%1\" (use keep, public or none)").arg(text));
}

std::optional<ColourPolicy> parseColourPolicy(const QString &text, QString *error)
{
    const QString t = text.trimmed().toLower();
    if (t == u"srgb")
        return ColourPolicy::Srgb;
    if (t == u"keep")
        return ColourPolicy::Keep;
    if (t == u"strip" || t == u"none")
        return ColourPolicy::Strip;
    return fail<ColourPolicy>(
        error, QStringLiteral("unknown colour choice \"%1\" (use srgb, keep or strip)").arg(text));
}

std::optional<qint64> parsePixelLimit(const QString &text, QString *error)
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*(\\d{1,15})\\s*(m|mp)?\\s*$"),
                                            QRegularExpression::CaseInsensitiveOption);
    const auto match = pattern.match(text);
    const qint64 value = match.hasMatch() ? match.captured(1).toLongLong() : -1;
    const qint64 scale = match.captured(2).isEmpty() ? 1 : 1'000'000;
    if (value < 0 || value > std::numeric_limits<qint64>::max() / 4 / scale)
        return fail<qint64>(error, QStringLiteral("pixel limit \"%1\" is not a number of pixels "
                                                  "(for example 250000000 or 250MP; 0: none)")
                                       .arg(text));
    return value * scale;
}

std::optional<int> parseQuality(const QString &text, QString *error)
{
    bool ok = false;
    const int q = text.trimmed().toInt(&ok);
    if (!ok || q < 0 || q > 100)
        return fail<int>(
            error, QStringLiteral("quality \"%1\" must be a whole number from 0 to 100").arg(text));
    return q;
}

QString toString(ResizeMode mode)
{
    switch (mode) {
    case ResizeMode::Fit:
        return QStringLiteral("fit");
    case ResizeMode::Fill:
        return QStringLiteral("fill");
    case ResizeMode::Exact:
        return QStringLiteral("exact");
    case ResizeMode::LongEdge:
        return QStringLiteral("long-edge");
    case ResizeMode::ShortEdge:
        return QStringLiteral("short-edge");
    case ResizeMode::Percent:
        return QStringLiteral("percent");
    }
    return {};
}

QString toString(OutputFormat format)
{
    switch (format) {
    case OutputFormat::Keep:
        return QStringLiteral("keep");
    case OutputFormat::Jpeg:
        return QStringLiteral("jpg");
    case OutputFormat::Png:
        return QStringLiteral("png");
    case OutputFormat::Webp:
        return QStringLiteral("webp");
    case OutputFormat::Avif:
        return QStringLiteral("avif");
    case OutputFormat::Jxl:
        return QStringLiteral("jxl");
    }
    return {};
}

QString toString(ConflictPolicy policy)
{
    switch (policy) {
    case ConflictPolicy::Rename:
        return QStringLiteral("rename");
    case ConflictPolicy::Overwrite:
        return QStringLiteral("overwrite");
    case ConflictPolicy::Skip:
        return QStringLiteral("skip");
    }
    return {};
}

QString toString(MetadataPolicy policy)
{
    switch (policy) {
    case MetadataPolicy::Keep:
        return QStringLiteral("keep");
    case MetadataPolicy::Public:
        return QStringLiteral("public");
    case MetadataPolicy::None:
        return QStringLiteral("none");
    }
    return {};
}

QString toString(ColourPolicy policy)
{
    switch (policy) {
    case ColourPolicy::Srgb:
        return QStringLiteral("srgb");
    case ColourPolicy::Keep:
        return QStringLiteral("keep");
    case ColourPolicy::Strip:
        return QStringLiteral("strip");
    }
    return {};
}

void applyProcessLimits(const Recipe &recipe)
{
    // Qt's own guard sits just above ours: our pixel check on the header gives the clear
    // message, Qt's limit is the backstop for anything that slips past it (a lying header).
    const qint64 pixels = recipe.limits.maxPixels;
    if (pixels <= 0) {
        QImageReader::setAllocationLimit(0);
        return;
    }
    const qint64 megabytes = pixels * 4 / (1024 * 1024) + 64;
    QImageReader::setAllocationLimit(int(qMin<qint64>(megabytes, std::numeric_limits<int>::max())));
}

} // namespace sluice
