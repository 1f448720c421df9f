# Core flags of the Cortex-M4F targets; a target.cmake includes this before the shared
# part (cortex-m7.cmake, which then keeps these flags). ARMv7E-M with the DSP extension
# like the M7 (the optimized kernels' SMLAD/SXTB16/SMMULR... are the same instructions),
# but a single-precision FPU (fpv4-sp-d16): float is hardware, double (every XS number)
# is libgcc's soft float.
set(XSINFER_ARM_FLAGS -mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard)
