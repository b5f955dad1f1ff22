{
  "targets": [
    {
      "target_name": "owlet",
      "sources": ["native/owlet.cc", "native/distributed.cc"],
      "include_dirs": ["<!@(node -p \"(process.env.OWLET_TORCH_INCLUDE || '/usr/include').split(':').join(' ')\")"],
      "libraries": [
        "-L<!(node -p \"process.env.OWLET_TORCH_LIB || '/usr/lib'\")",
        "-Wl,-rpath,<!(node -p \"process.env.OWLET_TORCH_LIB || '/usr/lib'\")",
        "-ltorch", "-ltorch_cpu", "-lc10",
        "<!@(node -p \"(process.env.OWLET_GLOO || (require('fs').existsSync('/usr/include/gloo/config.h') ? '1' : '0')) === '1' ? '-lgloo' : ''\")"
      ],
      "defines": ["<!@(node -p \"(process.env.OWLET_GLOO || (require('fs').existsSync('/usr/include/gloo/config.h') ? '1' : '0')) === '1' ? 'USE_C10D_GLOO OWLET_DISTRIBUTED' : 'OWLET_NO_DISTRIBUTED'\")"],
      "cflags!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17"],
      "cflags_cc": [
        "-std=c++17", "-fexceptions", "-frtti", "-O2", "-fno-math-errno", "-Wno-unused-parameter", "-Wno-deprecated-declarations",
        "-D_GLIBCXX_USE_CXX11_ABI=<!(node -p \"process.env.OWLET_CXX11_ABI || '1'\")"
      ]
    },
    {
      "target_name": "owlet_image",
      "sources": ["native/image.cc"],
      "libraries": ["-ljpeg"],
      "cflags_cc": ["-O3", "-fno-math-errno"]
    }
  ]
}
