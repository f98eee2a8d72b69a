// HEIC files written with libheif itself, for what heif-enc 1.15 cannot write (an irot box, an
// nclx colour box), for the tests of the HEIF codec and of the image job.
#pragma once

#include "testimages.h"

#include <QByteArray>
#include <QImage>
#include <cstring>
#include <libheif/heif.h>

namespace fixtures {

// A HEIC (x265) written with libheif itself, for what heif-enc 1.15 cannot write: an irot box
// (`orientation` != 1: the pixels are stored unturned, the box turns them for display, and an
// EXIF Orientation says the same, as an iPhone writes it) or an nclx colour box (`primaries`
// and `transfer` != 0); and with an ICC profile of any kind (heif-enc drops some).
inline QByteArray libheifFile(const QImage &stored, heif_orientation orientation, int primaries = 0,
                              int transfer = 0, const QByteArray &iccProfile = {})
{
    const QImage rgb = stored.convertToFormat(QImage::Format_RGB888);
    heif_context *context = heif_context_alloc();
    heif_encoder *encoder = nullptr;
    heif_context_get_encoder_for_format(context, heif_compression_HEVC, &encoder);
    heif_encoder_set_lossy_quality(encoder, 90);
    heif_image *image = nullptr;
    heif_image_create(rgb.width(), rgb.height(), heif_colorspace_RGB, heif_chroma_interleaved_RGB,
                      &image);
    heif_image_add_plane(image, heif_channel_interleaved, rgb.width(), rgb.height(), 8);
    int stride = 0;
    uint8_t *plane = heif_image_get_plane(image, heif_channel_interleaved, &stride);
    for (int y = 0; y < rgb.height(); ++y)
        memcpy(plane + y * stride, rgb.constScanLine(y), size_t(rgb.width()) * 3);
    heif_color_profile_nclx *nclx = heif_nclx_color_profile_alloc();
    if (primaries != 0) {
        heif_nclx_color_profile_set_color_primaries(nclx, uint16_t(primaries));
        heif_nclx_color_profile_set_transfer_characteristics(nclx, uint16_t(transfer));
        heif_nclx_color_profile_set_matrix_coefficients(nclx, 6);
        heif_image_set_nclx_color_profile(image, nclx);
    }
    if (!iccProfile.isEmpty())
        heif_image_set_raw_color_profile(image, "prof", iccProfile.constData(),
                                         size_t(iccProfile.size()));
    heif_encoding_options *options = heif_encoding_options_alloc();
    options->image_orientation = orientation;
    if (primaries != 0) {
        options->output_nclx_profile = nclx;
        options->macOS_compatibility_workaround_no_nclx_profile = 0; // on by default in 1.15
    }
    heif_image_handle *handle = nullptr;
    heif_context_encode_image(context, image, encoder, options, &handle);
    if (orientation != heif_orientation_normal) {
        const QByteArray segment = testimages::exifOrientationSegment(int(orientation));
        const QByteArray tiff = segment.mid(4 + 6); // after marker, length and "Exif\0\0"
        heif_context_add_exif_metadata(context, handle, tiff.constData(), int(tiff.size()));
    }
    QByteArray bytes;
    heif_writer writer{1, [](heif_context *, const void *data, size_t size, void *out) {
                           static_cast<QByteArray *>(out)->append(static_cast<const char *>(data),
                                                                  qsizetype(size));
                           return heif_error{heif_error_Ok, heif_suberror_Unspecified, ""};
                       }};
    heif_context_write(context, &writer, &bytes);
    heif_image_handle_release(handle);
    heif_encoding_options_free(options);
    heif_nclx_color_profile_free(nclx);
    heif_image_release(image);
    heif_encoder_release(encoder);
    heif_context_free(context);
    return bytes;
}

} // namespace fixtures
