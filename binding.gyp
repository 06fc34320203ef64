{
  "targets": [
    {
      "target_name": "mmtl_native",
      "sources": [
        "native/src/binding.cc",
        "native/src/tensor.cc",
        "native/src/ops.cc",
        "native/src/nn.cc",
        "native/src/optim.cc",
        "native/src/optim_kernels.cc"
      ],
      "include_dirs": [
        "<!@(node -p \"require('node-addon-api').include_dir\")",
        "<!@(node scripts/libtorch.mjs include)"
      ],
      "defines": ["NAPI_CPP_EXCEPTIONS", "NAPI_VERSION=8", "_GLIBCXX_USE_CXX11_ABI=1"],
      "cflags!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++20"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-frtti", "-O3", "-fno-math-errno", "-Wno-unused-parameter", "-Wno-deprecated-declarations"],
      "libraries": [
        "<!@(node scripts/libtorch.mjs libdir)",
        "<!@(node scripts/libtorch.mjs rpath)",
        "-ltorch",
        "-ltorch_cpu",
        "-lc10"
      ]
    }
  ]
}
