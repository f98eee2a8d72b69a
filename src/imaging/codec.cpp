#include "codec.h"

#include "heifcodec.h"
#include "jxlcodec.h"
#include "qtcodec.h"

#include <QtEndian>

namespace sluice {

QByteArray tiffOfExifBox(const QByteArray &box)
{
    if (box.size() < 12)
        return {};
    const quint32 offset = qFromBigEndian<quint32>(box.constData());
    if (offset > quint32(box.size() - 12))
        return {};
    const QByteArray tiff = box.mid(4 + offset);
    const bool tiffHeader =
        tiff.startsWith(QByteArrayLiteral("II*\0")) || tiff.startsWith(QByteArrayLiteral("MM\0*"));
    return tiffHeader ? tiff : QByteArray();
}

bool iccProfileIsGray(const QByteArray &profile)
{
    return profile.size() >= 20 && profile.mid(16, 4) == "GRAY";
}

void CodecRegistry::add(std::unique_ptr<ImageCodec> codec)
{
    m_codecs.push_back(std::move(codec));
}

std::unique_ptr<ImageDecoder> CodecRegistry::decoderFor(const QByteArray &bytes) const
{
    for (const auto &codec : m_codecs) {
        if (auto decoder = codec->decoderFor(bytes))
            return decoder;
    }
    return nullptr;
}

const ImageEncoder *CodecRegistry::encoderFor(const QByteArray &format) const
{
    for (const auto &codec : m_codecs) {
        if (const ImageEncoder *encoder = codec->encoderFor(format))
            return encoder;
    }
    return nullptr;
}

const CodecRegistry &CodecRegistry::builtIn()
{
    static const CodecRegistry registry = [] {
        CodecRegistry codecs;
        codecs.add(std::make_unique<HeifCodec>());
        codecs.add(std::make_unique<JxlCodec>());
        codecs.add(std::make_unique<QtCodec>());
        return codecs;
    }();
    return registry;
}

} // namespace sluice
