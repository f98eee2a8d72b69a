// Stage 3 of the image job: check limits. What the probe says will be decoded, and what the
// recipe would make of it, are checked against the recipe's pixel limit before any pixel is
// allocated; then damage the probe already found is refused (after the limits, so that an
// over-limit file is reported as such whatever else is wrong with it).
//
// Pure: no I/O, any thread.
#pragma once

#include "codec.h"
#include "recipe.h"
#include "resizeplan.h"
#include "stageresult.h"

#include <QSize>
#include <QString>

namespace sluice {

// In: the probe, the recipe and the probed decoder. Out: the resize plan for the oriented
// image, or a permanent failure: "image is W×H, over the N MP limit" (what the decoder would
// allocate for the plan: a 100 MP JPEG decoded at 1/2 or 1/4 scale for a smaller output is
// within a 100 MP limit), the probe's damage, or "the output would be W×H, over the N MP
// limit" (enlarging modes can ask for far more pixels than the input has). Without a decoder,
// or when the header has more than 16 times the limit (a reduced decode still reads every
// compressed block), the probed size is what counts.
StageResult<ResizePlan> checkLimits(const ImageProbe &probe, const Recipe &recipe,
                                    const ImageDecoder *decoder = nullptr);

// "image is W×H, over the N MP limit" when `size` has more pixels than `maxPixels` (0: no
// limit), else an empty string. The decode stage asks again for what a decoder delivered.
QString overPixelLimit(QSize size, qint64 maxPixels);

} // namespace sluice
