#include "imagejob.h"

#include "failpoints.h"
#include "resizeplan.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QImage>
#include <QImageReader>
#include <QImageWriter>
#include <QMimeDatabase>
#include <QPainter>
#include <cmath>

namespace sluice {

namespace {

// Gives a Write reservation back unless it was committed (every early return is covered).
class ReservationGuard
{
public:
    ReservationGuard(Sink &sink, const Reservation &reservation)
        : m_sink(sink)
        , m_reservation(reservation)
    {}
    ~ReservationGuard()
    {
        if (m_armed)
            m_sink.release(m_reservation);
    }
    void disarm() { m_armed = false; }

private:
    Sink &m_sink;
    Reservation m_reservation;
    bool m_armed = true;
};

QString megapixels(qint64 pixels)
{
    return QString::number(double(pixels) / 1e6, 'g', 6);
}

// libjpeg treats a missing end of data as a warning and fills the rest with grey, and Qt then
// reports success. A complete JPEG has its EOI marker (FFD9) after the last start of scan
// (FFDA); trailing bytes after the EOI are fine, an embedded thumbnail's EOI comes earlier.
// Searched from the cheap ends: the last EOI is near the end of the file and the first scan
// near the start, so a 5 MB file costs a few kilobytes of searching, not a pass over the
// entropy-coded data (that pass was 10% of a thumbnail's instructions).
bool jpegLooksTruncated(const QByteArray &bytes)
{
    const QByteArray startOfScan = QByteArrayLiteral("\xFF\xDA");
    const qsizetype lastEnd = bytes.lastIndexOf(QByteArrayLiteral("\xFF\xD9"));
    if (lastEnd < 0)
        return true;
    if (bytes.indexOf(startOfScan, lastEnd) >= 0)
        return true; // a scan starts after the last end marker
    return bytes.indexOf(startOfScan) < 0;
}

// Qt's GIF reader returns whatever part of the first frame it decoded when the data stops
// early, and reports success. Walks the blocks up to the end of the first image's data: a
// sub-block that runs past the end of the file, or no image data at all, is truncation. (A file
// that ends exactly between sub-blocks may still hold every pixel and is left to the decoder.)
bool gifLooksTruncated(const QByteArray &bytes)
{
    const auto *p = reinterpret_cast<const uchar *>(bytes.constData());
    const qsizetype size = bytes.size();
    if (size < 13)
        return true;
    qsizetype at = 13 + ((p[10] & 0x80) ? 3 * (2 << (p[10] & 7)) : 0); // global colour table
    auto subBlocksEnd = [&]() { // false: a block runs past the end
        while (at < size) {
            const int length = p[at];
            at += 1 + length;
            if (length == 0)
                return true;
        }
        return at == size;
    };
    while (at < size) {
        const uchar introducer = p[at++];
        if (introducer == 0x21) { // extension: label, then sub-blocks
            ++at;
            if (!subBlocksEnd())
                return true;
        } else if (introducer == 0x2c) { // image: descriptor, colour table, LZW size, data
            if (at + 9 > size)
                return true;
            const uchar flags = p[at + 8];
            at += 9 + ((flags & 0x80) ? 3 * (2 << (flags & 7)) : 0) + 1;
            return at >= size || !subBlocksEnd();
        } else {
            return false; // the trailer, or junk: the decoder has its own say
        }
    }
    return true;
}

QImage flattenOntoWhite(const QImage &image)
{
    // Paint over white rather than dropping alpha: colour hidden under transparent pixels
    // (often garbage, or red in our tests) must not show.
    QImage flat(image.size(), QImage::Format_RGB32);
    flat.setDevicePixelRatio(image.devicePixelRatio());
    flat.fill(Qt::white);
    QPainter painter(&flat);
    painter.drawImage(0, 0, image);
    painter.end();
    return flat;
}

// The centred part of `source` with the aspect ratio of `box`: what Fill keeps of an image.
// Computed on the source, so it holds for any size (ResizePlan's scaled size does not fit an int
// when a very thin image is enlarged to cover a box).
QRect centredCrop(QSize source, QSize box)
{
    // Compares source.w / source.h with box.w / box.h in 64-bit products, without dividing.
    const qint64 wide = qint64(source.width()) * box.height();
    const qint64 tall = qint64(source.height()) * box.width();
    QSize keep = source;
    if (wide > tall)
        keep.setWidth(qBound(1,
                             int(std::lround(double(source.height()) * box.width() / box.height())),
                             source.width()));
    else if (tall > wide)
        keep.setHeight(qBound(1,
                              int(std::lround(double(source.width()) * box.height() / box.width())),
                              source.height()));
    return {QPoint((source.width() - keep.width()) / 2, (source.height() - keep.height()) / 2),
            keep};
}

TaskOutcome skippedNotAnImage(const QString &why)
{
    ImageResult result;
    result.skip = ImageResult::Skip::NotAnImage;
    return TaskOutcome::skipped(why, QVariant::fromValue(result));
}

bool outputFormatHasAlpha(const QByteArray &format)
{
    return format == "png" || format == "webp" || format == "tiff";
}

} // namespace

QByteArray outputFormatFor(OutputFormat format, const QByteArray &inputFormat)
{
    switch (format) {
    case OutputFormat::Jpeg:
        return "jpeg";
    case OutputFormat::Png:
        return "png";
    case OutputFormat::Webp:
        return "webp";
    case OutputFormat::Keep:
        break;
    }
    static const QList<QByteArray> keepable = {"jpeg", "png", "webp", "bmp", "tiff"};
    const QByteArray normalized = inputFormat == "jpg" ? QByteArray("jpeg") : inputFormat;
    return keepable.contains(normalized) ? normalized : QByteArray("png");
}

QString extensionFor(const QByteArray &qtFormat)
{
    if (qtFormat == "jpeg")
        return QStringLiteral("jpg");
    if (qtFormat == "tiff")
        return QStringLiteral("tif");
    return QString::fromLatin1(qtFormat);
}

qint64 estimateCostBytes(qint64 inputBytes, const Recipe &recipe)
{
    const qint64 pixelCap = recipe.limits.maxPixels > 0 ? recipe.limits.maxPixels * 4 : 0;
    qint64 decoded = inputBytes * 10;
    if (pixelCap > 0)
        decoded = qMin(decoded, pixelCap);
    return inputBytes + decoded;
}

TaskOutcome processImage(const InputItem &item, const Recipe &recipe, Sink &sink,
                         const TaskContext &ctx)
{
    return processImage(item, recipe, sink, ctx, JobOptions{});
}

TaskOutcome processImage(const InputItem &item, const Recipe &recipe, Sink &sink,
                         const TaskContext &ctx, const JobOptions &options)
{
    QElapsedTimer clock;
    clock.start();
    auto stage = [&](JobStage s) {
        if (options.onStage)
            options.onStage(s);
        return ctx.isCanceled();
    };

    if (item.isRejected())
        return TaskOutcome::permanentFailure(item.rejection);
    if (ctx.isCanceled())
        return TaskOutcome::canceled();

    // --- Read -----------------------------------------------------------------------------
    InputData input = InputReader(recipe.limits, options.opener).read(item);
    if (input.notAnImage)
        return skippedNotAnImage(input.error);
    if (!input.ok)
        return input.transient ? TaskOutcome::transientFailure(input.error)
                               : TaskOutcome::permanentFailure(input.error);
    if (stage(JobStage::Read))
        return TaskOutcome::canceled();

    // --- Header: format by content, size, orientation ---------------------------------------
    QBuffer buffer(&input.bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setAutoTransform(true);
    const QByteArray inputFormat = reader.format();
    if (inputFormat.isEmpty()) {
        const QString mime = QMimeDatabase().mimeTypeForData(input.bytes).name();
        if (mime.startsWith(QLatin1String("image/")))
            return TaskOutcome::permanentFailure(
                QStringLiteral("unsupported image format (%1)").arg(mime));
        return skippedNotAnImage(QStringLiteral("not an image (%1)").arg(mime));
    }
    QSize rawSize = reader.size();
    if (!rawSize.isValid() || rawSize.isEmpty())
        return TaskOutcome::permanentFailure(
            QStringLiteral("cannot read the %1 header: %2")
                .arg(QString::fromLatin1(inputFormat),
                     reader.error() == QImageReader::UnknownError // says "Unknown error"
                         ? QStringLiteral("the file is damaged or truncated")
                         : reader.errorString()));
    // Qt reports a GIF's first frame size but decodes onto the whole logical screen, which a
    // hostile file makes far larger than the frame (34 bytes: a 1x514 frame on an 8193x8705
    // screen). Limit and plan for what is really allocated.
    if (inputFormat == "gif" && input.bytes.size() >= 10) {
        const auto *b = reinterpret_cast<const uchar *>(input.bytes.constData());
        const QSize screen(b[6] | (b[7] << 8), b[8] | (b[9] << 8));
        if (!screen.isEmpty())
            rawSize = rawSize.expandedTo(screen);
    }
    const qint64 pixels = qint64(rawSize.width()) * rawSize.height();
    if (recipe.limits.maxPixels > 0 && pixels > recipe.limits.maxPixels)
        return TaskOutcome::permanentFailure(QStringLiteral("image is %1×%2, over the %3 MP limit")
                                                 .arg(rawSize.width())
                                                 .arg(rawSize.height())
                                                 .arg(megapixels(recipe.limits.maxPixels)));
    if (inputFormat == "jpeg" && jpegLooksTruncated(input.bytes))
        return TaskOutcome::permanentFailure(QStringLiteral("truncated JPEG data"));
    if (inputFormat == "gif" && gifLooksTruncated(input.bytes))
        return TaskOutcome::permanentFailure(QStringLiteral("truncated GIF data"));

    // size() is in stored orientation; EXIF orientations 5-8 swap width and height.
    const bool swapsSides = reader.transformation() & QImageIOHandler::TransformationRotate90;
    const QSize orientedSize = swapsSides ? rawSize.transposed() : rawSize;
    ResizePlan plan = ResizePlan::compute(orientedSize, recipe);
    // Enlarging modes (short edge, percent, upscale) can ask for far more pixels than the input
    // has: the same limit guards what would be allocated for the result. (Fill's scaled size
    // may be larger than what it keeps; an enlarging Fill crops first, below.)
    const QSize outputSize = plan.outputSize();
    if (recipe.limits.maxPixels > 0 &&
        qint64(outputSize.width()) * outputSize.height() > recipe.limits.maxPixels)
        return TaskOutcome::permanentFailure(
            QStringLiteral("the output would be %1×%2, over the %3 MP limit")
                .arg(outputSize.width())
                .arg(outputSize.height())
                .arg(megapixels(recipe.limits.maxPixels)));

    const QByteArray outFormat = outputFormatFor(recipe.format, inputFormat);
    static const QList<QByteArray> writable = QImageWriter::supportedImageFormats();
    if (!writable.contains(outFormat))
        return TaskOutcome::permanentFailure(
            QStringLiteral("cannot write %1 here (image format plugin missing)")
                .arg(QString::fromLatin1(outFormat)));

    // --- Output name ----------------------------------------------------------------------
    OutputRequest request{item, extensionFor(outFormat), plan.outputSize(), input.modified,
                          recipe.fingerprint()};
    const Reservation reservation = sink.reserve(request);
    if (options.onReserved)
        options.onReserved(reservation);
    ImageResult result;
    result.outputPath = reservation.path;
    result.inputSize = orientedSize;
    result.outputSize = plan.outputSize();
    result.inputFormat = inputFormat;
    result.outputFormat = outFormat;
    switch (reservation.action) {
    case Reservation::Action::Write:
        break;
    case Reservation::Action::SkipUpToDate:
    case Reservation::Action::SkipExists:
        result.skip = reservation.action == Reservation::Action::SkipUpToDate
                          ? ImageResult::Skip::UpToDate
                          : ImageResult::Skip::OutputExists;
        result.elapsedMs = clock.elapsed();
        return TaskOutcome::skipped(reservation.message, QVariant::fromValue(result));
    case Reservation::Action::Fail:
        return TaskOutcome::permanentFailure(reservation.message);
    }
    ReservationGuard guard(sink, reservation);

    // --- Decode ---------------------------------------------------------------------------
    if (inputFormat == "jpeg" && plan.scaledSize.width() < orientedSize.width() &&
        plan.scaledSize.height() < orientedSize.height()) {
        // The scaled size is in stored orientation too; the result is still >= the target,
        // and the smooth scale below finishes the job.
        const QSize atLeast = swapsSides ? plan.scaledSize.transposed() : plan.scaledSize;
        const QSize decodeSize = ResizePlan::jpegDecodeSize(rawSize, atLeast);
        if (decodeSize != rawSize)
            reader.setScaledSize(decodeSize);
    }
    if (const FailAction injected = Failpoints::hit("decode", item.displayName());
        injected != FailAction::None)
        return injected == FailAction::Permanent
                   ? TaskOutcome::permanentFailure(Failpoints::message(injected, "decode"))
                   : TaskOutcome::transientFailure(Failpoints::message(injected, "decode"));
    QImage image = reader.read();
    if (image.isNull())
        return TaskOutcome::permanentFailure(
            QStringLiteral("corrupt or truncated %1 data: %2")
                .arg(QString::fromLatin1(inputFormat), reader.errorString()));
    input.bytes.clear(); // the compressed bytes are no longer needed: lower the peak
    // A decoder that delivered another size than its header promised (without a scaled decode):
    // the output keeps its planned size (its name is reserved), reached from what is there, so
    // a lying header cannot make a distorted, huge intermediate.
    if (image.size() != orientedSize && reader.scaledSize().isEmpty()) {
        if (recipe.limits.maxPixels > 0 &&
            qint64(image.width()) * image.height() > recipe.limits.maxPixels)
            return TaskOutcome::permanentFailure(
                QStringLiteral("image is %1×%2, over the %3 MP limit")
                    .arg(image.width())
                    .arg(image.height())
                    .arg(megapixels(recipe.limits.maxPixels)));
        const QSize planned = plan.outputSize();
        if (recipe.mode == ResizeMode::Fill)
            image = image.copy(centredCrop(image.size(), planned));
        plan = ResizePlan{planned, QRect(QPoint(0, 0), planned)};
    }
    if (stage(JobStage::Decoded))
        return TaskOutcome::canceled();

    // --- Scale, crop, flatten -------------------------------------------------------------
    const QSize box = plan.crop.size();
    if (recipe.mode == ResizeMode::Fill &&
        (image.width() < box.width() || image.height() < box.height())) {
        // Covering the box means enlarging: crop first (at most the box's size is kept), then
        // scale. Scaled whole, a 10x10,000,000 strip (a 55-byte BMP) covering 48x32 would be
        // 48x48,000,000 on the way: 9 GB.
        image = image.copy(centredCrop(image.size(), box))
                    .scaled(box, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    } else {
        if (image.size() != plan.scaledSize)
            image = image.scaled(plan.scaledSize, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        if (plan.crop != image.rect())
            image = image.copy(plan.crop);
    }
    if (image.hasAlphaChannel() && !outputFormatHasAlpha(outFormat))
        image = flattenOntoWhite(image);
    if (stage(JobStage::Scaled))
        return TaskOutcome::canceled();

    // --- Encode into memory -----------------------------------------------------------------
    QByteArray encoded;
    {
        QBuffer out(&encoded);
        out.open(QIODevice::WriteOnly);
        QImageWriter writer(&out, outFormat);
        writer.setQuality(recipe.quality);
        if (outFormat == "jpeg" && recipe.progressive)
            writer.setProgressiveScanWrite(true);
        writer.setText(QLatin1String(FingerprintKey), request.fingerprint);
        writer.setText(QLatin1String(SourceKey), item.relativePath);
        if (!writer.write(image))
            return TaskOutcome::permanentFailure(
                QStringLiteral("encoding %1 failed: %2")
                    .arg(QString::fromLatin1(outFormat), writer.errorString()));
    }
    if (stage(JobStage::Encoded))
        return TaskOutcome::canceled();

    // --- Write ----------------------------------------------------------------------------
    const CommitResult written = sink.commit(reservation, encoded, ctx);
    guard.disarm(); // commit() consumed the reservation, whatever it returns
    if (written.canceled)
        return TaskOutcome::canceled();
    if (written.diskFull)
        return TaskOutcome::blocked(written.error); // the batch pauses; retries would not help
    if (!written.ok)
        return written.transient ? TaskOutcome::transientFailure(written.error)
                                 : TaskOutcome::permanentFailure(written.error);
    result.outputPath = written.path;
    result.outputBytes = written.bytes;
    result.elapsedMs = clock.elapsed();
    return TaskOutcome::done(QVariant::fromValue(result));
}

} // namespace sluice
