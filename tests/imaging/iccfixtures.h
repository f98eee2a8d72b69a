// Colour profiles written by Little CMS, for the tests of the colour stage and the image job.
#pragma once

#include <QByteArray>
#include <lcms2.h>

namespace fixtures {

// A gray profile with a linear tone curve: what Qt 6.4 cannot apply.
inline QByteArray linearGrayProfile()
{
    cmsToneCurve *linear = cmsBuildGamma(nullptr, 1.0);
    cmsHPROFILE profile = cmsCreateGrayProfile(cmsD50_xyY(), linear);
    cmsUInt32Number size = 0;
    cmsSaveProfileToMem(profile, nullptr, &size);
    QByteArray bytes(int(size), '\0');
    cmsSaveProfileToMem(profile, bytes.data(), &size);
    cmsCloseProfile(profile);
    cmsFreeToneCurve(linear);
    return bytes;
}

} // namespace fixtures
