#include "codec.h"

#include "qtcodec.h"

namespace sluice {

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
        codecs.add(std::make_unique<QtCodec>());
        return codecs;
    }();
    return registry;
}

} // namespace sluice
