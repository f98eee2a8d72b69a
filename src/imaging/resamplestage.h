// Stage 6 of the image job: resample. The decoded (and colour-managed) image is brought to the
// plan's output size: resampled with Lanczos3 (resampler.h) and cropped, and flattened onto
// white when the output format holds no alpha channel.
//
// Pure: no I/O, any thread.
#pragma once

#include "colourstage.h"
#include "recipe.h"
#include "resizeplan.h"

namespace sluice {

// In: the image, the plan (for the size it has now), the recipe's mode, and whether the
// encoder keeps alpha. Out: the image at plan.outputSize(). A Fill that has to enlarge crops
// first and scales the crop, so a thin strip covering a box never passes through a huge
// intermediate. Flattening drops the profile with the pixels' colour space (QPainter does not
// carry it over); the colour issue will keep it.
ColouredImage resample(ColouredImage image, const ResizePlan &plan, ResizeMode mode,
                       bool keepAlpha);

// The recipe's light sharpening (--sharpen: resampler.h's UnsharpMask defaults) of an image
// that the plan reduced from `source` (its oriented size): a reduction softens edges a little,
// which the mask gives back. Enlarged or unscaled images are returned as they are (sharpening
// would only raise their noise), and so is every image when `sharpen` is false.
ColouredImage sharpenedAfterReducing(ColouredImage image, const ResizePlan &plan, QSize source,
                                     bool sharpen);

} // namespace sluice
