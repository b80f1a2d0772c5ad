// Run by ./xscore images on the build machine (java DjlExtract.java, with the trainer's quarkus-app/lib/main/* on the
// class path and ENGINE_CACHE_DIR=<staging>/djl): loads the PyTorch engine once, which makes DJL copy libtorch (from
// the pytorch-native-* jar) and libdjl_torch.so (from pytorch-jni) into ENGINE_CACHE_DIR/pytorch/. The trainer image
// carries that folder as /opt/djl with ENGINE_CACHE_DIR=/opt/djl: DJL finds the natives in place and writes nothing
// on the read-only root file system.
public class DjlExtract {
    public static void main(String[] args) {
        ai.djl.engine.Engine engine = ai.djl.engine.Engine.getEngine("PyTorch");
        System.out.println("DJL " + engine.getEngineName() + " " + engine.getVersion() + " natives in "
                + System.getenv("ENGINE_CACHE_DIR"));
    }
}
