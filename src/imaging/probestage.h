// Stage 2 of the image job: probe. The codec is chosen by the input's content, and its decoder
// reads the header (format, size, orientation, frames, whether it can decode at reduced
// scale) without decoding a pixel. Content no codec reads is either an unsupported image
// (permanent failure) or no image at all (Skipped), as the MIME database says.
//
// Threading: reentrant; the ProbedInput belongs to the calling worker.
#pragma once

#include "codec.h"
#include "stageresult.h"

#include <QByteArray>
#include <QString>
#include <memory>

namespace sluice {

struct ProbedInput
{
    std::unique_ptr<ImageDecoder> decoder; // shares the input's bytes; decodeImage() uses it
    ImageProbe probe;                      // what decoder->probe() said, with error empty
};

// In: the input's bytes. Out: the decoder for them and its probe, or the outcome: Skipped (not
// an image), "unsupported image format (image/...)", "cannot read the <format> header: ...".
StageResult<ProbedInput> probeInput(const QByteArray &bytes, const CodecRegistry &codecs);

// Skipped, because the content is no image (ImageResult::Skip::NotAnImage): no output name is
// reserved.
TaskOutcome skippedNotAnImage(const QString &why);

} // namespace sluice
