// Stage 4 of the image job: decode. The probed decoder decodes the first frame, at a reduced
// scale when the codec can and the plan shrinks the image on both sides by 2x or more: the
// result keeps at least twice the plan's scaled size, and the resample stage's Lanczos3
// finishes the job from there. A decoder that delivers another size than its header promised
// is limited again and planned from what is there, so a lying header cannot make a distorted,
// huge intermediate. The "decode" failpoint fires just before the decoder runs.
//
// Threading: reentrant; the decoder belongs to the calling worker.
#pragma once

#include "codec.h"
#include "recipe.h"
#include "resizeplan.h"
#include "stageresult.h"

#include <QString>

namespace sluice {

// What decodeImage() asks of the decoder for this plan: a reduced scale (when the probe says
// the codec can, and the plan shrinks both sides by 2x or more) that keeps at least twice the
// plan's scaled size, or an embedded thumbnail at least the plan's scaled size (when the plan
// shrinks both sides); the metadata unless the recipe wants none.
DecodeRequest decodeRequestFor(const ImageProbe &probe, const ResizePlan &plan,
                               const Recipe &recipe);

// In: the decoder and its probe, the recipe, the plan from the limit stage. Out: the decoded
// image (orientation applied, profile and metadata handed over), or a permanent failure
// ("corrupt or truncated <format> data: ...", over the pixel limit) or an injected one.
// `plan` is replaced by the planned output size (uncropped) when the decoder delivered another
// size than the probe said, without being asked to reduce it. `subject` is what the
// failpoint's match= looks at (the input's display name).
StageResult<DecodedImage> decodeImage(ImageDecoder &decoder, const ImageProbe &probe,
                                      const Recipe &recipe, ResizePlan &plan,
                                      const QString &subject);

} // namespace sluice
