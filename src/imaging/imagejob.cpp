#include "imagejob.h"

#include "codec.h"
#include "colourstage.h"
#include "commitstage.h"
#include "decodestage.h"
#include "encodestage.h"
#include "exivmetadata.h"
#include "limitstage.h"
#include "metadatastage.h"
#include "probestage.h"
#include "resamplestage.h"

#include <QElapsedTimer>

namespace sluice {

namespace {

// Stage 1, the source: the input's bytes, or how reading them failed.
StageResult<InputData> readInput(const InputItem &item, const Recipe &recipe,
                                 const FileOpener &opener)
{
    InputData input = InputReader(recipe.limits, opener).read(item);
    if (input.notAnImage)
        return skippedNotAnImage(input.error);
    if (!input.ok)
        return input.transient ? TaskOutcome::transientFailure(input.error)
                               : TaskOutcome::permanentFailure(input.error);
    return input;
}

ImageResult resultFor(const Reservation &reservation, const ImageProbe &probe,
                      const ResizePlan &plan, const EncodeStage &encoding)
{
    ImageResult result;
    result.outputPath = reservation.path;
    result.inputSize = probe.orientedSize();
    result.outputSize = plan.outputSize();
    result.inputFormat = probe.format;
    result.outputFormat = encoding.format();
    result.inputFrames = probe.frameCount;
    return result;
}

} // namespace

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
    auto canceledAt = [&](JobStage stage) {
        if (options.onStage)
            options.onStage(stage);
        return ctx.isCanceled();
    };
    if (item.isRejected())
        return TaskOutcome::permanentFailure(item.rejection);
    if (ctx.isCanceled())
        return TaskOutcome::canceled();

    StageResult<InputData> input = readInput(item, recipe, options.opener);
    if (!input)
        return input.stop();
    if (canceledAt(JobStage::Read))
        return TaskOutcome::canceled();

    const CodecRegistry &codecs = CodecRegistry::builtIn();
    StageResult<ProbedInput> probed = probeInput(input->bytes, codecs);
    if (!probed)
        return probed.stop();
    const ImageProbe &probe = probed->probe;
    StageResult<ResizePlan> plan = checkLimits(probe, recipe, probed->decoder.get());
    if (!plan)
        return plan.stop();
    const StageResult<EncodeStage> encoding = EncodeStage::choose(recipe, probe.format, codecs);
    if (!encoding)
        return encoding.stop();

    CommitStage output(sink);
    OutputRequest request{item,
                          encoding->extension(),
                          plan->outputSize(),
                          input->modified,
                          recipe.fingerprint(),
                          CaptureInfo{}};
    QStringList notes;
    if (namingTemplateNeedsCapture(recipe.nameTemplate)) {
        QString unreadable;
        request.capture = exiv2::captureInfo(probed->decoder->metadata(&unreadable));
        notes << namingNotes(recipe.nameTemplate, request);
    }
    const Reservation &reservation = output.reserve(request);
    if (options.onReserved)
        options.onReserved(reservation);
    ImageResult result = resultFor(reservation, probe, *plan, *encoding);
    result.elapsedMs = clock.elapsed();
    if (std::optional<TaskOutcome> notWriting = output.unlessWriting(result))
        return *notWriting;

    StageResult<DecodedImage> decoded =
        decodeImage(*probed->decoder, probe, recipe, *plan, item.displayName());
    probed->decoder.reset(); // the compressed bytes are no longer needed: lower the peak
    input->bytes.clear();
    if (!decoded)
        return decoded.stop();
    if (canceledAt(JobStage::Decoded))
        return TaskOutcome::canceled();

    ColouredImage image = applyColour(std::move(decoded->pixels), decoded->iccProfile);
    image = resample(std::move(image), *plan, recipe.mode, encoding->keepsAlpha());
    image = sharpenedAfterReducing(std::move(image), *plan, probe.orientedSize(), recipe.sharpen);
    QString colourNote = decoded->colourNote;
    QString conversionNote;
    image = toOutputColour(std::move(image), recipe.colour, &conversionNote);
    if (!conversionNote.isEmpty())
        colourNote = colourNote.isEmpty() ? conversionNote
                                          : colourNote + QLatin1String("; ") + conversionNote;
    if (canceledAt(JobStage::Scaled))
        return TaskOutcome::canceled();

    QString problem = decoded->metadataProblem;
    const ImageMetadata metadata = prepareMetadata(
        decoded->metadata,
        {recipe.metadata, image.pixels.size(), request.fingerprint, sourceStamp(item.relativePath),
         recipe.colour == ColourPolicy::Srgb && image.iccProfile.isEmpty()},
        &problem);
    QString warning;
    const StageResult<QByteArray> encoded = encoding->encode(image, metadata, &warning);
    if (!encoded)
        return encoded.stop();
    if (probe.frameCount > 1)
        notes << QStringLiteral("first frame of %1").arg(probe.frameCount);
    if (!colourNote.isEmpty())
        notes << colourNote;
    if (!problem.isEmpty() || !warning.isEmpty())
        notes << QStringLiteral("metadata not copied in full: %1")
                     .arg(problem.isEmpty() ? warning : problem);
    result.note = notes.join(QLatin1String("; "));
    if (canceledAt(JobStage::Encoded))
        return TaskOutcome::canceled();

    const StageResult<CommitResult> written = output.commit(*encoded, ctx);
    if (!written)
        return written.stop();
    result.outputPath = written->path;
    result.outputBytes = written->bytes;
    result.elapsedMs = clock.elapsed();
    return TaskOutcome::done(QVariant::fromValue(result));
}

} // namespace sluice
