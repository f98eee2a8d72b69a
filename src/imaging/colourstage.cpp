#include "colourstage.h"

namespace sluice {

ColouredImage applyColour(QImage pixels, QByteArray embeddedProfile)
{
    return {std::move(pixels), std::move(embeddedProfile)};
}

} // namespace sluice
